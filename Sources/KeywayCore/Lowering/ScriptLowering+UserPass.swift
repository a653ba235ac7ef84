/// The userpass credential of the bootstrap script: a password generated inside the script,
/// written to the user and stored, new on every run.
extension ScriptLowering {
    /// A new password, written to the user and stored.
    ///
    /// The password is 32 bytes of `/dev/urandom` as hex (`od` and `tr` in a command substitution:
    /// it never is an argument of a command, nor in a file). The user is written with it as JSON
    /// on stdin through the `printf` builtin, then it is stored in the Secret the same way.
    ///
    /// A userpass user has one password, so the new one replaces the old one at once (the tokens
    /// ESO already holds live out their TTL); a run that stops between the two writes leaves ESO
    /// with the old password until the script runs again.
    func userPass(_ user: UserPassCredential, policy: String) -> [ShellStatement] {
        let request = user.write(policy: policy)
        let stored = user.stored
        // The password is hex: JSON needs no escape, so it is printed in front of the body's fields.
        let rest = JSONRenderer.render(.map(request.body)).dropFirst()
        return [
            .comment(
                "User '\(user.username)': logs in with policy '\(policy)' only; a new password goes to Secret \(stored.namespace)/\(stored.secretName)."
            ),
            .capture(
                variable: "password",
                commands: [
                    ShellCommand(["od", "-An", "-N32", "-tx1", "/dev/urandom"]),
                    ShellCommand(["tr", "-d", " \\n"]),
                ]),
            .require(variable: "password", message: "keyway: could not generate a password"),
            .pipeline([
                ShellCommand([
                    "printf", "%s", "{\"password\":\"", .variable("password"), .literal("\"," + rest),
                ]),
                ShellCommand(["vault", "write", .literal(request.path), "-"]),
            ]),
            .pipeline([
                ShellCommand(["printf", "%s", .variable("password")]),
                ShellCommand([
                    "kubectl", "create", "secret", "generic", .literal(stored.secretName),
                    .option("--namespace=", stored.namespace), .literal("--from-file=\(stored.key)=/dev/stdin"),
                    "--dry-run=client", "-o", "yaml",
                ]),
                ShellCommand([
                    "kubectl", "apply", "--server-side", "--force-conflicts", "--field-manager=keyway", "-f", "-",
                ]),
            ]),
            .unset(["password"]),
        ]
    }
}
