/// Everything one environment compiles to, as typed values; the renderers turn it into text.
public struct CompiledEnvironment: Sendable, Equatable {
    /// `metadata.name`: the output folder's name.
    public var name: String
    /// The validated model it was lowered from (`explain` reads its apps and store beside `vault`).
    public var model: Environment
    /// The Vault side: auth mount, and per store its policy and credential.
    public var vault: VaultSetup
    /// The Vault policies, one per store.
    public var policies: [VaultPolicy] { vault.grants.map(\.policy) }
    /// The bootstrap script run by an operator against Vault and the cluster.
    public var bootstrap: ShellScript
    /// The Kubernetes objects, in stream order: ServiceAccounts (SecretStore mode with kubernetes
    /// auth), stores, then per app its ExternalSecrets and workload, then the renewal CronJob and
    /// the PrometheusRule.
    public var objects: [KubernetesObject]
    /// Strategic-merge patches for workloads owned elsewhere (`workload:`): files only, neither in
    /// the stream nor among the kustomization's resources; the user's kustomization applies them.
    public var patches: [KubernetesObject] = []
}

/// A spec compiled as far as its Vault side: what `explain` reads.
///
/// The model and the policies and credentials lowered from it, without the Kubernetes objects and
/// the bootstrap script.
public struct CompiledVault: Sendable, Equatable {
    /// `metadata.name`.
    public var name: String
    /// The validated model.
    public var model: Environment
    /// The Vault side: auth mount, and per store its policy and credential.
    public var vault: VaultSetup
}

extension CompiledEnvironment {
    /// Its Vault side, as `Compiler.compileVault` gives it.
    public var vaultSide: CompiledVault { CompiledVault(name: name, model: model, vault: vault) }
}
