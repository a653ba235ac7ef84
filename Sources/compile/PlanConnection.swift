import KeywayCore

/// Where and how `compile plan` reads Vault: the operator's environment as the vault CLI reads it
/// in bootstrap.sh (VAULT_ADDR else the spec's server; the spec's namespace, which the script
/// exports, else VAULT_NAMESPACE; VAULT_CACERT), plus the spec's own caBundle.
struct PlanConnection {
    var client: VaultClient

    /// The server and namespace, for the plan's first line.
    var target: String {
        client.address + (client.namespace.map { ", namespace '\($0)'" } ?? "")
    }

    /// The connection for `compiled`; throws when VAULT_TOKEN is not set or VAULT_CACERT cannot be read.
    init(_ compiled: CompiledEnvironment) throws {
        let environment = FileSystem.environment
        guard let token = environment("VAULT_TOKEN"), !token.isEmpty else {
            throw VaultError(
                text: "VAULT_TOKEN is not set", help: "set it to a token holding the policy vault/keyway-plan.hcl")
        }
        var address = environment("VAULT_ADDR").flatMap { $0.isEmpty ? nil : $0 } ?? compiled.vault.server
        while address.hasSuffix("/") { address.removeLast() }
        var ca: [UInt8] = []
        if let file = environment("VAULT_CACERT"), !file.isEmpty {
            ca += try Self.readFile(file, variable: "VAULT_CACERT") + Array("\n".utf8)
        }
        if case .bundle(let pem)? = compiled.model.vault.ca { ca += Array(pem.utf8) }
        let namespace = compiled.vault.namespace ?? environment("VAULT_NAMESPACE").flatMap { $0.isEmpty ? nil : $0 }
        client = VaultClient(address: address, token: token, namespace: namespace, ca: ca.isEmpty ? nil : ca)
    }

    /// A file the operator named in an environment variable (a CA, a key), at most 1 MiB.
    static func readFile(_ path: String, variable: String) throws -> [UInt8] {
        do {
            return try FileSystem.read(path, limit: 1 << 20)
        } catch let error as FileSystemError {
            throw VaultError(text: "cannot read \(variable) '\(path)': \(error.reason)")
        } catch {
            throw VaultError(text: "cannot read \(variable) '\(path)': more than 1 MiB")
        }
    }

    /// Reads every path plan compares, and the operator's settings for the auth mount's config.
    func read(_ compiled: CompiledEnvironment) throws -> LiveVault {
        var data: [String: ManifestMap] = [:]
        for read in PlanReads.reads(compiled) {
            if let found = try fetch(read) { data[read.path] = found }
        }
        return LiveVault(data: data, operatorConfig: try operatorConfig(compiled.vault.authMount))
    }

    /// One read: its `data`, `nil` when Vault has nothing there; throws on anything else.
    func fetch(_ read: VaultRead) throws -> ManifestMap? {
        let response: VaultClient.Response
        do {
            response = try client.send(read)
        } catch let error as VaultError {
            throw VaultError(
                text: "cannot reach Vault at \(client.address): \(error.text)",
                help: error.text.contains("certificate") || error.text.contains("SSL")
                    ? "set VAULT_CACERT to a PEM file of the CA that signed Vault's certificate, or give the spec's vault.caBundle"
                    : "check VAULT_ADDR (default: the spec's vault.server)")
        }
        let errors = LiveVault.responseErrors(response.body).flatMap(Self.lines)
        let said = errors.isEmpty ? "" : ": " + errors.joined(separator: "; ")
        switch response.status {
        case 200:
            guard let data = LiveVault.responseData(response.body) else {
                throw VaultError(text: "Vault's answer to '\(read.path)' is not a JSON object with 'data'")
            }
            return data
        case 404: return nil
        // An unmounted path under sys/mounts: Vault answers 400 "no matching mount".
        case 400 where read.path.hasPrefix("sys/mounts/"): return nil
        case 403 where read == PlanReads.tokenLookup:
            throw VaultError(
                text: "Vault refused VAULT_TOKEN (403\(said))",
                help:
                    "the token is invalid or expired, or lacks the policy vault/keyway-plan.hcl (read on auth/token/lookup-self)"
            )
        case 403:
            throw VaultError(
                text: "the token may not \(read.operation.rawValue) '\(read.path)' (403\(said))",
                help: "give the token the policy vault/keyway-plan.hcl of the --out tree")
        default:
            throw VaultError(
                text: "Vault answered \(response.status) to \(read.operation.rawValue) '\(read.path)'\(said)")
        }
    }

    /// An error's own lines: Vault wraps several as `N errors occurred:` and `* …` lines.
    static func lines(_ error: String) -> [String] {
        let lines = error.split(whereSeparator: \.isNewline).map { $0.drop { $0 == " " || $0 == "\t" } }
        let items = lines.filter { $0.hasPrefix("* ") }.map { String($0.dropFirst(2)) }
        return items.isEmpty ? lines.filter { !$0.isEmpty }.map(String.init) : items
    }

    /// The config values the script would write from the same environment variables; a file's
    /// contents (a public CA or key), never a secret.
    func operatorConfig(_ mount: AuthMount?) throws -> ManifestMap {
        var config: ManifestMap = [:]
        for setting in mount?.operatorSettings ?? [] {
            guard let value = FileSystem.environment(setting.variable), !value.isEmpty else { continue }
            let text =
                setting.fromFile
                ? String(decoding: try Self.readFile(value, variable: setting.variable), as: UTF8.self) : value
            config[setting.field] = setting.isList ? .strings([text]) : .string(text)
        }
        return config
    }
}
