/// Renders generated scripts as POSIX sh.
public enum ShellRenderer {
    public static func render(_ script: ShellScript) -> String {
        var out = "#!/bin/sh\n"
        for line in script.header { out += line.isEmpty ? "#\n" : "# \(line)\n" }
        out += "set -eu\n"
        for statement in script.statements { render(statement, indent: "", into: &out) }
        return out
    }

    private static func render(_ statement: ShellStatement, indent: String, into out: inout String) {
        switch statement {
        case .comment(let text):
            out += "\(indent)# \(text)\n"
        case .blank:
            out += "\n"
        case .pipeline(let commands):
            out += indent + pipeline(commands, indent: indent) + "\n"
        case .capture(let variable, let command):
            out += "\(indent)\(variable)=$(\(render(command)))\n"
        case .require(let variable, let message):
            out += "\(indent)if [ -z \"${\(variable):-}\" ]; then\n"
            out += "\(indent)  printf '%s\\n' \(quote(message)) >&2\n"
            out += "\(indent)  exit 1\n"
            out += "\(indent)fi\n"
        case .unless(let condition, let body):
            out += "\(indent)if ! \(pipeline(condition, indent: indent)); then\n"
            for inner in body { render(inner, indent: indent + "  ", into: &out) }
            out += "\(indent)fi\n"
        case .defaultVariable(let name, let value):
            out += "\(indent)if [ -z \"${\(name):-}\" ]; then\n"
            out += "\(indent)  \(name)=\(quote(value))\n"
            out += "\(indent)fi\n"
            out += "\(indent)export \(name)\n"
        case .enterScriptFolder:
            out += "\(indent)cd -- \"$(dirname -- \"$0\")\"\n"
        case .unset(let names):
            out += "\(indent)unset \(names.joined(separator: " "))\n"
        }
    }

    private static func pipeline(_ commands: [ShellCommand], indent: String) -> String {
        commands.map(render).joined(separator: " \\\n\(indent)  | ")
    }

    private static func render(_ command: ShellCommand) -> String {
        command.words.map(render).joined(separator: " ") + (command.silenced ? " >/dev/null 2>&1" : "")
    }

    private static func render(_ word: ShellWord) -> String {
        word.parts.map { part in
            switch part {
            case .literal(let text): quote(text)
            case .variable(let name): "\"${\(name)}\""
            case .whenSet(let name, let prefix): "${\(name):+\(quote(prefix))\"${\(name)}\"}"
            }
        }.joined()
    }

    /// The one quoting function for sh: text made only of characters that mean nothing to the shell
    /// stays bare; anything else is single-quoted, with `'` written as `'\''`.
    public static func quote(_ text: String) -> String {
        let bare =
            !text.isEmpty
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
