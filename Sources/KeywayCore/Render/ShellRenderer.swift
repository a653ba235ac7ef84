/// Renders generated scripts as POSIX sh.
public enum ShellRenderer {
    /// The script's text: the shebang, the header as `#` comments, `set -eu`, then its statements.
    public static func render(_ script: ShellScript) -> String {
        var out = "#!/bin/sh\n"
        for line in script.header { out += line.isEmpty ? "#\n" : "# \(line)\n" }
        out += "set -eu\n"
        render(script.statements, indent: "", into: &out)
        return out
    }

    private static func render(_ statements: [ShellStatement], indent: String, into out: inout String) {
        for statement in statements { render(statement, indent: indent, into: &out) }
    }

    private static func render(_ statement: ShellStatement, indent: String, into out: inout String) {
        switch statement {
        case .comment(let text): out += "\(indent)# \(text)\n"
        case .blank: out += "\n"
        case .pipeline(let commands): out += indent + pipeline(commands, indent: indent) + "\n"
        case .capture(let variable, let commands):
            out += "\(indent)\(variable)=$(\(pipeline(commands, indent: indent)))\n"
        case .captureOrElse(let variable, let commands, let otherwise):
            let capture = "\(variable)=$(\(pipeline(commands, indent: indent)))"
            block("if ! \(capture); then", otherwise, "fi", indent: indent, into: &out)
        case .unlessEqual(let expected, let body):
            let test = expected.map { "[ \"${\($0.name):-}\" != \(render($0.value)) ]" }.joined(separator: " || ")
            block("if \(test); then", body, "fi", indent: indent, into: &out)
        case .require(let variable, let message):
            block("if [ -z \"${\(variable):-}\" ]; then", [.message(message), .exit], "fi", indent: indent, into: &out)
        case .requireAny(let variables, let message):
            let test = variables.map { "[ -z \"${\($0):-}\" ]" }.joined(separator: " && ")
            block("if \(test); then", [.message(message), .exit], "fi", indent: indent, into: &out)
        case .unlessPrefix(let variable, let prefix, let body):
            out += "\(indent)case \"${\(variable):-}\" in\n\(indent)  \(quote(prefix))*) ;;\n\(indent)  *)\n"
            render(body, indent: indent + "    ", into: &out)
            out += "\(indent)    ;;\n\(indent)esac\n"
        case .export(let name, let value):
            // Quoted even when bare would do: shellcheck reads `NAME=admin` as a mistyped command (SC2209).
            out += "\(indent)\(name)=\(quote(value, always: true))\n\(indent)export \(name)\n"
        case .unless(let condition, let body):
            block("if ! \(pipeline(condition, indent: indent)); then", body, "fi", indent: indent, into: &out)
        case .defaultVariable(let name, let value):
            block(
                "if [ -z \"${\(name):-}\" ]; then", [.assign(ShellAssignment(name, .literal(value)))], "fi",
                indent: indent, into: &out)
            out += "\(indent)export \(name)\n"
        case .enterScriptFolder: out += "\(indent)cd -- \"$(dirname -- \"$0\")\"\n"
        case .unset(let names): out += "\(indent)unset \(names.joined(separator: " "))\n"
        case .assign(let assignment): out += "\(indent)\(render(assignment))\n"
        case .function(let name, let body): block("\(name)() {", body, "}", indent: indent, into: &out)
        case .traceOff: out += "\(indent)set +x\n"
        case .whenSet(let variable, let body):
            block("if [ -n \"${\(variable):-}\" ]; then", body, "fi", indent: indent, into: &out)
        case .whenUnset(let variable, let body):
            block("if [ -z \"${\(variable):-}\" ]; then", body, "fi", indent: indent, into: &out)
        case .message(let text): out += "\(indent)printf '%s\\n' \(quote(text)) >&2\n"
        case .exit: out += "\(indent)exit 1\n"
        case .cleanupOnExit(let body):
            var text = ""
            render(body, indent: "", into: &text)
            out += "\(indent)trap \(quote(String(text.dropLast()))) EXIT\n"
            out += "\(indent)trap 'exit 1' HUP INT TERM\n"
        case .clearCleanup: out += "\(indent)trap - EXIT HUP INT TERM\n"
        }
    }

    private static func block(
        _ opening: String, _ body: [ShellStatement], _ closing: String, indent: String, into out: inout String
    ) {
        out += "\(indent)\(opening)\n"
        render(body, indent: indent + "  ", into: &out)
        out += "\(indent)\(closing)\n"
    }

    private static func pipeline(_ commands: [ShellCommand], indent: String) -> String {
        commands.map(render).joined(separator: " \\\n\(indent)  | ")
    }

    private static func render(_ command: ShellCommand) -> String {
        (command.environment.map(render) + command.words.map(render)).joined(separator: " ")
            + (command.silenced ? " >/dev/null 2>&1" : "")
    }

    private static func render(_ assignment: ShellAssignment) -> String {
        "\(assignment.name)=\(render(assignment.value))"
    }

    private static func render(_ word: ShellWord) -> String {
        word.parts.map { part in
            switch part {
            case .literal(let text): quote(text)
            case .variable(let name): "\"${\(name)}\""
            case .variableOrEmpty(let name): "\"${\(name)-}\""
            case .whenSet(let name, let prefix): "${\(name):+\(quote(prefix))\"${\(name)}\"}"
            case .allArguments: "\"$@\""
            }
        }.joined()
    }

    /// The one quoting function for sh: text made only of characters that mean nothing to the shell
    /// stays bare (unless `always`); anything else is single-quoted, with `'` written as `'\''`.
    public static func quote(_ text: String, always: Bool = false) -> String {
        let bare =
            !always && !text.isEmpty
            && text.utf8.allSatisfy { byte in
                (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x30 && byte <= 0x39)
                    || "_@%+=:,./-".utf8.contains(byte)
            }
        if bare { return text }
        var out = "'"
        for character in text {
            if character == "'" { out += "'\\''" } else { out.append(character) }
        }
        return out + "'"
    }
}
