/// How ESO shapes the Secret it writes: a template over the fetched values, the refresh policy,
/// rewrites of fetched key names, and how each value is decoded.

/// ESO's `spec.target.template` (engine v2): the Secret's type, templated data and metadata.
public struct SecretTemplate: Sendable, Equatable {
    /// The Kubernetes Secret type; `nil` keeps ESO's default (`Opaque`).
    public var type: String?
    /// Whether the fetched keys are kept beside the templated ones.
    public var mergePolicy: TemplateMergePolicy
    /// The Secret's keys, each a Go template over the fetched values.
    public var data: [TemplateEntry]
    /// Labels of the Secret, values templated.
    public var labels: [TemplateEntry]
    /// Annotations of the Secret, values templated.
    public var annotations: [TemplateEntry]
}

/// One `key: template` entry of a template's data, labels or annotations.
public struct TemplateEntry: Sendable, Equatable {
    /// The Secret key, label or annotation name.
    public var key: String
    /// The Go template giving its value.
    public var value: String
}

/// ESO's `target.template.mergePolicy`.
public enum TemplateMergePolicy: String, Sendable, Equatable, CaseIterable {
    /// The Secret holds the templated keys only (ESO's default).
    case replace = "Replace"
    /// The Secret holds the fetched keys, then the templated ones over them.
    case merge = "Merge"
}

/// ESO's `spec.refreshPolicy`: when the Secret is synced again.
public enum RefreshPolicy: String, Sendable, Equatable, CaseIterable {
    case periodic = "Periodic"
    case onChange = "OnChange"
    case createdOnce = "CreatedOnce"
}

/// ESO's `decodingStrategy`: how a fetched value is decoded before it is written.
public enum DecodingStrategy: String, Sendable, Equatable, CaseIterable {
    case none = "None"
    case base64 = "Base64"
    case base64URL = "Base64URL"
    case auto = "Auto"
}

/// ESO's `conversionStrategy`: how fetched key names are converted.
public enum ConversionStrategy: String, Sendable, Equatable, CaseIterable {
    case standard = "Default"
    case unicode = "Unicode"
}

/// ESO's `metadataPolicy`: `Fetch` reads the secret's KV v2 metadata instead of its data.
public enum MetadataPolicy: String, Sendable, Equatable, CaseIterable {
    case none = "None"
    case fetch = "Fetch"
}

/// The decoding and conversion a remote reference asks for; `nil` leaves ESO's default.
public struct ValueStrategies: Sendable, Equatable {
    /// ESO's `decodingStrategy` for the value; `nil` leaves ESO's default (`None`).
    public var decoding: DecodingStrategy?
    /// ESO's `conversionStrategy` for key names; `nil` leaves ESO's default (`Default`).
    public var conversion: ConversionStrategy?

    /// Creates the strategies; both `nil` leaves ESO's defaults.
    public init(decoding: DecodingStrategy? = nil, conversion: ConversionStrategy? = nil) {
        self.decoding = decoding
        self.conversion = conversion
    }
}

/// One step of ESO's `dataFrom[].rewrite`, applied to fetched key names in order.
public enum KeyRewrite: Sendable, Equatable {
    /// `regexp.ReplaceAll(source, target)` over each key.
    case regexp(source: String, target: String)
    /// A Go template over each key (`.value`).
    case transform(template: String)
}

/// `extract`: every property of one Vault secret.
public struct ExtractSource: Sendable, Equatable {
    /// Where ESO reads the secret, relative to the mount's data root (`ESOVaultPaths.relative`).
    public var path: String
    /// A KV v2 version to read; `nil` reads the current one.
    public var version: Int?
    /// How ESO decodes and converts the fetched values.
    public var strategies: ValueStrategies
    /// The key as written when it is not `path` (with the mount or a leading `/`).
    public var remoteKey: String? = nil

    /// The key the ExternalSecret's `dataFrom.extract.key` carries.
    public var writtenKey: String { remoteKey ?? path }
}

/// `find`: every secret under a folder (the whole mount without one), by name or by tags.
public struct FindSource: Sendable, Equatable {
    /// The folder ESO lists and reads, relative to the mount (`ESOVaultPaths.findFolders`);
    /// `nil` searches the whole mount.
    public var path: String?
    /// A regular expression the names match; `nil` with tags (ESO ignores tags when a name is set).
    public var name: String?
    /// KV v2 custom metadata every found secret must carry.
    public var tags: [TemplateEntry]
    /// How ESO decodes and converts the fetched values.
    public var strategies: ValueStrategies

    /// The path as written when it is not `path` (a leading `/`).
    public var remotePath: String? = nil

    /// Whether ESO reads each candidate's metadata (a find by tags).
    public var readsMetadata: Bool { !tags.isEmpty }

    /// The path the ExternalSecret's `dataFrom.find.path` carries.
    public var writtenPath: String? { remotePath ?? path }
}
