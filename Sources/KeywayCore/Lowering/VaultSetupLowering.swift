/// Lowers the model's Vault side into a `VaultSetup`: one grant per store scope, each with its
/// least policy (the KV paths plus the token self-paths its credential calls) and its credential.
struct VaultSetupLowering {
    let environment: Environment
    let scopes: [StoreScope]

    func setup() -> VaultSetup {
        let vault = environment.vault
        return VaultSetup(
            server: vault.server, namespace: vault.namespace, hasPrivateCA: vault.ca != nil, authMount: authMount,
            grants: scopes.compactMap(grant))
    }

    var authMount: AuthMount? {
        switch environment.vault.auth {
        case .token: nil
        case .kubernetes(let auth):
            AuthMount(
                type: .kubernetes, path: auth.mountPath,
                configuration: .kubernetesFromEnvironment(ownedByKeyway: auth.ownsMount, reviewer: auth.tokenReviewer))
        case .appRole(let auth): AuthMount(type: .appRole, path: auth.mountPath, configuration: .none)
        case .jwt(let auth):
            AuthMount(
                type: .jwt, path: auth.mountPath, configuration: .jwtFromEnvironment(ownedByKeyway: auth.ownsMount))
        case .userPass(let auth): AuthMount(type: .userPass, path: auth.mountPath, configuration: .none)
        }
    }

    func grant(_ scope: StoreScope) -> VaultGrant? {
        guard let credential = credential(scope) else { return nil }
        var policy = scope.policy
        policy.rules += credential.selfPaths
        return VaultGrant(namespace: scope.namespace, policy: policy, credential: credential)
    }

    func credential(_ scope: StoreScope) -> VaultCredential? {
        guard let namespace = scope.credentialNamespace else { return nil }
        switch environment.vault.auth {
        case .token(let auth):
            return .periodicToken(
                PeriodicToken(
                    period: auth.period,
                    displayName: SpecDefaults.environmentObjectName(environment.name),
                    stored: StoredCredential(
                        secretName: auth.secretRef.name, namespace: namespace, key: auth.secretRef.key),
                    renewalJob: KubernetesLowering.renewalJobName(auth.secretRef.name)
                ))
        case .kubernetes(let auth):
            guard let role = scope.role else { return nil }
            return .kubernetesRole(
                KubernetesRole(
                    mount: auth.mountPath, name: role, serviceAccountName: auth.serviceAccountName,
                    serviceAccountNamespace: namespace,
                    audience: auth.audience, tokenTTL: auth.tokenTTL))
        case .appRole(let auth):
            guard let role = scope.role else { return nil }
            return .appRole(
                AppRoleCredential(
                    mount: auth.mountPath, name: role, tokenTTL: auth.tokenTTL, secretIdTTL: auth.secretIdTTL,
                    stored: StoredCredential(
                        secretName: auth.secretRef.name, namespace: namespace, key: auth.secretRef.key),
                    roleId: auth.roleId))
        case .jwt(let auth):
            guard let role = scope.role else { return nil }
            return .jwtRole(
                JWTRole(
                    mount: auth.mountPath, name: role, serviceAccountName: auth.serviceAccountName,
                    serviceAccountNamespace: namespace,
                    audiences: auth.audiences, boundIssuer: auth.boundIssuer, tokenTTL: auth.tokenTTL))
        case .userPass(let auth):
            guard let username = scope.role else { return nil }
            return .userPass(
                UserPassCredential(
                    mount: auth.mountPath, username: username, tokenTTL: auth.tokenTTL,
                    stored: StoredCredential(
                        secretName: auth.secretRef.name, namespace: namespace, key: auth.secretRef.key)))
        }
    }
}
