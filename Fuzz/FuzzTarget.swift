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
    checkPieces(bytes)
    return 0
}

/// Reads the bytes in pieces cut at every app and traps where that gives another tree than one
/// reading, or a tree where one reading reports a problem (`SpecPieces`' rule).
func checkPieces(_ bytes: [UInt8]) {
    var diagnostics = DiagnosticCollector()
    let whole = SpecParser.parse(bytes, limits: ParseLimits(), into: &diagnostics)
    let layout = SpecPieces.Layout(key: "apps", pieceBytes: 1)
    let pieces = bytes.withUnsafeBufferPointer { buffer in
        SpecPieces.cut(buffer, layout: layout).flatMap { SpecPieces.parse(buffer, cut: $0, limits: ParseLimits()) }
    }
    if let pieces {
        precondition(diagnostics.sorted.isEmpty, "pieces read a spec one reading refuses")
        precondition(pieces == whole, "pieces read another tree than one reading")
    }
}
