// libFuzzer entry point over the whole pipeline: bytes -> diagnostics or artifacts -> rendered text.
// Built from the core's sources by scripts/fuzz.sh (an SwiftPM executable insists on a main).

/// Compiles the fuzzer's bytes as a spec and renders every diagnostic and file; returns 0, as libFuzzer requires.
@_cdecl("LLVMFuzzerTestOneInput")
public func keywayFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let result = Compiler.compile(bytes)
    let renderer = DiagnosticRenderer(fileName: "fuzz.yaml", source: bytes, colored: false)
    for diagnostic in result.diagnostics {
        _ = renderer.render(diagnostic)
        _ = renderer.json(diagnostic)
    }
    if let environment = result.environment {
        _ = OutputLayout.render(environment)
    }
    return 0
}
