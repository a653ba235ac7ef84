/// A piece of a shell word: literal text (quoted when rendered) or a parameter expansion.
public enum ShellWordPart: Sendable, Equatable {
    case literal(String)
    /// `"${NAME}"`: always double-quoted when rendered.
    case variable(String)
    /// `PREFIX` and the variable's value when it is set and not empty; nothing otherwise.
    case whenSet(variable: String, prefix: String)
}

/// One word of a command line; its parts are joined without spaces.
public struct ShellWord: Sendable, Equatable, ExpressibleByStringLiteral {
    public var parts: [ShellWordPart]

    public init(_ parts: [ShellWordPart]) { self.parts = parts }
    public init(stringLiteral value: String) { self.parts = [.literal(value)] }

    public static func literal(_ text: String) -> ShellWord { ShellWord([.literal(text)]) }
    public static func variable(_ name: String) -> ShellWord { ShellWord([.variable(name)]) }
    /// `PREFIX` followed by a literal: `-policy=NAME`, `key=value`.
    public static func option(_ prefix: String, _ value: String) -> ShellWord { ShellWord([.literal(prefix + value)]) }
}

/// One simple command, as an argument array.
public struct ShellCommand: Sendable, Equatable {
    public var words: [ShellWord]
    /// Send standard output (and error) to /dev/null.
    public var silenced: Bool

    public init(_ words: [ShellWord], silenced: Bool = false) {
        self.words = words
        self.silenced = silenced
    }
}

/// One statement of a generated POSIX sh script.
public indirect enum ShellStatement: Sendable, Equatable {
    case comment(String)
    case blank
    /// Commands joined by `|`.
    case pipeline([ShellCommand])
    /// `NAME=$(command)`: the output stays in the shell, never on a command line.
    case capture(variable: String, command: ShellCommand)
    /// Stop with `message` unless the variable is set and not empty.
    case require(variable: String, message: String)
    /// Run `body` unless the pipeline succeeds.
    case unless(condition: [ShellCommand], body: [ShellStatement])
    /// Sets and exports `name` to `value` unless the environment already sets it.
    case defaultVariable(name: String, value: String)
    /// `cd` into the script's own folder.
    case enterScriptFolder
    case unset([String])
}

/// A generated POSIX sh script: `set -eu`, then its statements.
public struct ShellScript: Sendable, Equatable {
    public var fileName: String
    public var header: [String]
    public var statements: [ShellStatement]

    public init(fileName: String, header: [String], statements: [ShellStatement]) {
        self.fileName = fileName
        self.header = header
        self.statements = statements
    }
}
