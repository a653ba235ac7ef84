/// A piece of a shell word: literal text (quoted when rendered) or a parameter expansion.
public enum ShellWordPart: Sendable, Equatable {
    case literal(String)
    /// `"${NAME}"`: always double-quoted when rendered.
    case variable(String)
    /// `"${NAME-}"`: the value, or nothing when unset (safe under `set -u`).
    case variableOrEmpty(String)
    /// `PREFIX` and the variable's value when it is set and not empty; nothing otherwise.
    case whenSet(variable: String, prefix: String)
    /// `"$@"`: every argument of the enclosing function, each one word.
    case allArguments
}

/// One word of a command line; its parts are joined without spaces.
public struct ShellWord: Sendable, Equatable, ExpressibleByStringLiteral {
    /// The word's parts, joined without spaces when rendered.
    public var parts: [ShellWordPart]

    /// Creates a word from its parts.
    public init(_ parts: [ShellWordPart]) { self.parts = parts }
    /// Creates a word of one literal part, quoted when rendered.
    public init(stringLiteral value: String) { self.parts = [.literal(value)] }

    /// A word of literal text, quoted when rendered.
    public static func literal(_ text: String) -> ShellWord { ShellWord([.literal(text)]) }
    /// A word that is the value of the variable `name`, double-quoted when rendered.
    public static func variable(_ name: String) -> ShellWord { ShellWord([.variable(name)]) }
    /// `PREFIX` followed by a literal: `-policy=NAME`, `key=value`.
    public static func option(_ prefix: String, _ value: String) -> ShellWord { ShellWord([.literal(prefix + value)]) }
}

/// `NAME=WORD`, before a command (for that command only) or as a statement.
public struct ShellAssignment: Sendable, Equatable {
    /// The variable's name.
    public var name: String
    /// The value assigned.
    public var value: ShellWord

    /// Creates the assignment `name=value`.
    public init(_ name: String, _ value: ShellWord) {
        self.name = name
        self.value = value
    }
}

/// One simple command, as an argument array.
public struct ShellCommand: Sendable, Equatable {
    /// Variables set in this command's environment only.
    public var environment: [ShellAssignment]
    /// The command name and its arguments, one word each.
    public var words: [ShellWord]
    /// Send standard output (and error) to /dev/null.
    public var silenced: Bool

    /// Creates a command from its words, the variables set for it only, and whether it is silenced.
    public init(_ words: [ShellWord], environment: [ShellAssignment] = [], silenced: Bool = false) {
        self.environment = environment
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
    case capture(variable: String, commands: [ShellCommand])
    /// `NAME=$(command)`, running `otherwise` (instead of stopping the script) when the command fails.
    case captureOrElse(variable: String, commands: [ShellCommand], otherwise: [ShellStatement])
    /// Runs `body` unless every variable named in `expected` holds exactly the value beside it.
    case unlessEqual(expected: [ShellAssignment], body: [ShellStatement])
    /// Stop with `message` unless the variable is set and not empty.
    case require(variable: String, message: String)
    /// Stop with `message` unless at least one of the variables is set and not empty.
    case requireAny(variables: [String], message: String)
    /// Runs `body` unless the variable's value starts with `prefix` (a `case` pattern).
    case unlessPrefix(variable: String, prefix: String, body: [ShellStatement])
    /// Sets and exports `name` to `value`, whatever the environment said.
    case export(name: String, value: String)
    /// Run `body` unless the pipeline succeeds.
    case unless(condition: [ShellCommand], body: [ShellStatement])
    /// Sets and exports `name` to `value` unless the environment already sets it.
    case defaultVariable(name: String, value: String)
    /// `cd` into the script's own folder.
    case enterScriptFolder
    case unset([String])
    /// `NAME=WORD`, not exported.
    case assign(ShellAssignment)
    /// A shell function; its body sees the function's arguments as `"$@"`.
    case function(name: String, body: [ShellStatement])
    /// `set +x`: tracing off, so `sh -x` never prints a credential held in a variable.
    case traceOff
    /// Runs `body` when the variable is set and not empty.
    case whenSet(variable: String, body: [ShellStatement])
    /// Runs `body` when the variable is unset or empty.
    case whenUnset(variable: String, body: [ShellStatement])
    /// Prints `message` on standard error.
    case message(String)
    /// `exit 1`.
    case exit
    /// Runs `cleanup` if the script stops (an error, a signal) before `.clearCleanup`.
    case cleanupOnExit([ShellStatement])
    /// The script got past the point where `.cleanupOnExit` was needed.
    case clearCleanup
}

/// A generated POSIX sh script: `set -eu`, then its statements.
public struct ShellScript: Sendable, Equatable {
    /// The script's file name in the environment's folder, such as `bootstrap.sh`.
    public var fileName: String
    /// The lines of the opening `#` comment, after the shebang; an empty line renders as `#`.
    public var header: [String]
    /// The statements run after `set -eu`.
    public var statements: [ShellStatement]

    /// Creates a script from its file name, header comment lines and statements.
    public init(fileName: String, header: [String], statements: [ShellStatement]) {
        self.fileName = fileName
        self.header = header
        self.statements = statements
    }
}
