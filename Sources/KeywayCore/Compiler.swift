/// What compiling one spec gives: its diagnostics, and its output when there was no error.
public struct CompileResult: Sendable {
    /// Every problem found, in source order.
    public var diagnostics: [Diagnostic]
    /// `nil` when any diagnostic is an error.
    public var environment: CompiledEnvironment?
    /// The rendered stream and files, `nil` with `environment`.
    ///
    /// Renders both: callers that need one use `OutputLayout.stream(_:)` or `OutputLayout.files(_:)`.
    public var rendered: RenderedEnvironment? { environment.map(OutputLayout.render) }
    /// Where `metadata.name` is written, for problems found across specs.
    public var nameRange: SourceRange?
    /// Where the Vault names this spec claims are written, likewise.
    public var vaultSites = VaultNameSites()
    /// Where the Kubernetes objects it writes are placed, likewise.
    public var objectSites = ObjectSites()

    /// Whether any diagnostic is an error, so nothing is written.
    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
}

/// Keyway's one entry point: spec text in, diagnostics and artifacts out.
///
/// No I/O, never exits.
public enum Compiler {
    /// Parses, validates, lowers and renders one spec.
    public static func compile(_ text: [UInt8], limits: ParseLimits = ParseLimits()) -> CompileResult {
        let (model, diagnostics, builder) = build(text, limits: limits)
        return CompileResult(
            diagnostics: diagnostics, environment: model.map(lower), nameRange: builder?.nameRange,
            vaultSites: builder?.vaultSites ?? VaultNameSites(), objectSites: builder?.objectSites ?? ObjectSites())
    }

    /// Parses, validates and lowers only the Vault side: what `explain` reads.
    ///
    /// The diagnostics are `compile`'s: every check runs in the parser and the model builder, and
    /// lowering reports none, so a spec `compile` rejects is rejected here with the same messages.
    /// Skips the Kubernetes objects and the bootstrap script, which neither command reads.
    public static func compileVault(_ text: [UInt8], limits: ParseLimits = ParseLimits()) -> VaultCompileResult {
        let (model, diagnostics, _) = build(text, limits: limits)
        return VaultCompileResult(
            diagnostics: diagnostics,
            compiled: model.map { lowerVault($0, scopes: StoreScope.scopes(of: $0)) })
    }

    /// Parses and validates a spec into the model, without lowering it.
    static func model(_ text: [UInt8], limits: ParseLimits = ParseLimits()) -> (Environment?, [Diagnostic]) {
        let (model, diagnostics, _) = build(text, limits: limits)
        return (model, diagnostics)
    }

    private static func build(_ text: [UInt8], limits: ParseLimits) -> (Environment?, [Diagnostic], ModelBuilder?) {
        var diagnostics = DiagnosticCollector()
        let pieces = SpecPieces.Layout(key: SpecKey.Top.apps.rawValue)
        guard let root = SpecParser.parse(text, limits: limits, into: &diagnostics, pieces: pieces) else {
            return (nil, diagnostics.sorted, nil)
        }
        var builder = ModelBuilder()
        let model = builder.build(root)
        diagnostics.append(contentsOf: builder.reader.diagnostics)
        return (diagnostics.hasErrors ? nil : model, diagnostics.sorted, builder)
    }

    /// Lowers a valid model into its artifacts.
    public static func lower(_ environment: Environment) -> CompiledEnvironment {
        let scopes = StoreScope.scopes(of: environment)
        let vault = lowerVault(environment, scopes: scopes).vault
        let kubernetes = KubernetesLowering(environment: environment, scopes: scopes)
        return CompiledEnvironment(
            name: environment.name,
            model: environment,
            vault: vault,
            bootstrap: ScriptLowering(environmentName: environment.name, setup: vault).script(),
            objects: kubernetes.objects(),
            patches: kubernetes.workloadPatches()
        )
    }

    /// The Vault side of a valid model, the one lowering both `lower` and `compileVault` use.
    private static func lowerVault(_ environment: Environment, scopes: [StoreScope]) -> CompiledVault {
        CompiledVault(
            name: environment.name, model: environment,
            vault: VaultSetupLowering(environment: environment, scopes: scopes).setup())
    }
}

/// What compiling one spec as far as its Vault side gives (`Compiler.compileVault`).
public struct VaultCompileResult: Sendable {
    /// Every problem found, in source order: the same as `Compiler.compile` reports.
    public var diagnostics: [Diagnostic]
    /// `nil` when any diagnostic is an error.
    public var compiled: CompiledVault?
}
