/// The functions a template may call, as ESO's template engine v2 offers them.
///
/// Read from its source: external-secrets/external-secrets at commit cc5bfbc2234ace9cb0caff4ea89c435cf517b27b,
/// `runtime/template/v2/template.go` (`tplFuncs`, ESO's own, and `init`, which copies in
/// `sprig.TxtFuncMap()`) and `runtime/template/v2/sprig/functions.go` (`genericMap`: Sprig v3
/// vendored without `env`, `expandenv` and `getHostByName`, as its README says). The same map
/// serves `target.template` (data, labels, annotations) and `dataFrom[].rewrite[].transform`
/// (`runtime/esutils/utils.go`, `Funcs(estemplate.FuncMap())`). Go's `text/template` adds its
/// builtins, which no `FuncMap` can take away.
enum ESOTemplateFunctions {
    /// ESO's own functions (`tplFuncs` in `runtime/template/v2/template.go`).
    static let eso: [String] = [
        "pkcs12key", "pkcs12keyPass", "pkcs12cert", "pkcs12certPass", "pemToPkcs12", "pemToPkcs12Pass",
        "fullPemToPkcs12", "fullPemToPkcs12Pass", "pemTruststoreToPKCS12", "pemTruststoreToPKCS12Pass",
        "filterPEM", "filterCertChain", "certSANs", "jwkPublicKeyPem", "jwkPrivateKeyPem", "toYaml", "fromYaml",
        "rsaDecrypt",
    ]

    /// Sprig's functions as ESO vendors them (`genericMap` in `runtime/template/v2/sprig/functions.go`).
    static let sprig: [String] = [
        "abbrev", "abbrevboth", "add", "add1", "add1f", "addf", "adler32sum", "ago", "all", "any", "append",
        "atoi", "b32dec", "b32enc", "b64dec", "b64enc", "base", "bcrypt", "biggest", "buildCustomCert",
        "camelcase", "cat", "ceil", "chunk", "clean", "coalesce", "compact", "concat", "contains", "date",
        "dateInZone", "dateModify", "date_in_zone", "date_modify", "decryptAES", "deepCopy", "deepEqual",
        "default", "derivePassword", "dict", "dig", "dir", "div", "divf", "duration", "durationRound", "empty",
        "encryptAES", "ext", "fail", "first", "float64", "floor", "fromJson", "genCA", "genCAWithKey",
        "genPrivateKey", "genSelfSignedCert", "genSelfSignedCertWithKey", "genSignedCert", "genSignedCertWithKey",
        "get", "has", "hasKey", "hasPrefix", "hasSuffix", "hello", "hexdec", "htmlDate", "htmlDateInZone",
        "htpasswd", "indent", "initial", "initials", "int", "int64", "isAbs", "join", "kebabcase", "keys",
        "kindIs", "kindOf", "last", "list", "lower", "max", "maxf", "merge", "mergeOverwrite", "min", "minf",
        "mod", "mul", "mulf", "mustAppend", "mustChunk", "mustCompact", "mustDateModify", "mustDeepCopy",
        "mustFirst", "mustFromJson", "mustHas", "mustInitial", "mustLast", "mustMerge", "mustMergeOverwrite",
        "mustPrepend", "mustPush", "mustRegexFind", "mustRegexFindAll", "mustRegexMatch", "mustRegexReplaceAll",
        "mustRegexReplaceAllLiteral", "mustRegexSplit", "mustRest", "mustReverse", "mustSlice", "mustToDate",
        "mustToJson", "mustToPrettyJson", "mustToRawJson", "mustUniq", "mustWithout", "must_date_modify",
        "nindent", "nospace", "now", "omit", "osBase", "osClean", "osDir", "osExt", "osIsAbs", "pick", "pluck",
        "plural", "prepend", "push", "quote", "randAlpha", "randAlphaNum", "randAscii", "randBytes", "randInt",
        "randNumeric", "regexFind", "regexFindAll", "regexMatch", "regexQuoteMeta", "regexReplaceAll",
        "regexReplaceAllLiteral", "regexSplit", "repeat", "replace", "rest", "reverse", "round", "semver",
        "semverCompare", "seq", "set", "sha1sum", "sha256sum", "sha512sum", "shuffle", "slice", "snakecase",
        "sortAlpha", "split", "splitList", "splitn", "squote", "sub", "subf", "substr", "swapcase", "ternary",
        "title", "toDate", "toDecimal", "toJson", "toPrettyJson", "toRawJson", "toString", "toStrings", "trim",
        "trimAll", "trimPrefix", "trimSuffix", "trimall", "trunc", "tuple", "typeIs", "typeIsLike", "typeOf",
        "uniq", "unixEpoch", "unset", "until", "untilStep", "untitle", "upper", "urlJoin", "urlParse", "uuidv4",
        "values", "without", "wrap", "wrapWith",
    ]

    /// Go `text/template`'s builtins (`builtins()` in `text/template/funcs.go`).
    static let goBuiltins: [String] = [
        "and", "call", "html", "index", "slice", "js", "len", "not", "or", "print", "printf", "println",
        "urlquery", "eq", "ge", "gt", "le", "lt", "ne",
    ]

    /// Every function a template may call, sorted (for the did-you-mean help).
    static let all: [String] = Array(Set(eso + sprig + goBuiltins)).sorted()

    /// `all` as a set.
    static let known: Set<String> = Set(all)

    /// Functions refused wherever a template appears, with the reason: older ESO versions, which
    /// teams still run, have them, and each reaches what a spec author must not.
    static func refusal(_ name: String) -> String? {
        switch name {
        case "getSecretKey":
            "'getSecretKey' reads any Secret of any namespace with the ESO controller's own client, such as the store's Vault token (ESO advisory GHSA-77v3-r3jw-j2v2); read the value from Vault under the secret's 'keys' instead"
        case "getHostByName":
            "'getHostByName' makes the ESO controller resolve a name, and a DNS query can carry secret values out (ESO advisory GHSA-r2pg-r6h7-crf3); remove it"
        case "env", "expandenv":
            "'\(name)' reads the ESO controller's environment, not the app's (ESO removed it with 'getHostByName', GHSA-r2pg-r6h7-crf3); write the value in the template, or read it from Vault"
        default: nil
        }
    }
}
