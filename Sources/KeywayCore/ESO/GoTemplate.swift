/// What Keyway reads of a Go template (text/template, as ESO's template engine v2 runs it).
///
/// It checks that every action `{{` is closed and every block ended (a `}}` outside an action is
/// text, as in Go: JSON such as `{"a":{"b":1}}` is fine), and finds which top-level keys it names
/// (`{{ .NAME }}`, `{{ $.NAME }}`, `{{ index . "NAME" }}`) and which functions it calls: every
/// identifier of an action that is not a keyword, a field (`.a`, `$x.a`, `(…).a`), a variable
/// (`$x`) or inside a string, character constant or comment, wherever it stands in a pipeline
/// (first in a command, an argument, inside parentheses). Pipelines are not otherwise
/// interpreted; inside `range`, `with`, `define` and `block` the dot is something else, so only
/// `$.NAME` is read there.
struct GoTemplateScan: Equatable {
    /// A key the template names, at its offset (in Unicode scalars) in the text.
    struct Reference: Equatable {
        var name: String
        var offset: Int
        /// The name with the `-` and `.` parts Go would not read as part of it (`tls.crt` for
        /// `.tls.crt`), for the help when only that longer name is a key.
        var written: String
    }

    /// A syntax error at an offset of the text.
    struct Problem: Equatable {
        var message: String
        var offset: Int
        var help: String
    }

    var references: [Reference] = []
    /// The functions the template calls, each at its offset (`written` is the name).
    var functions: [Reference] = []
    var problem: Problem?

    /// The words of an action that are Go template keywords or constants, not functions.
    static let keywords: Set<String> = [
        "if", "else", "end", "range", "with", "define", "block", "template", "break", "continue", "nil", "true",
        "false",
    ]

    /// Scans a template; the first syntax problem stops the scan.
    static func scan(_ text: String) -> GoTemplateScan {
        var scanner = Scanner(chars: Array(text.unicodeScalars))
        scanner.run()
        return scanner.result
    }

    private struct Scanner {
        let chars: [Unicode.Scalar]
        var result = GoTemplateScan()
        /// Open blocks: where each starts, and whether it rebinds the dot.
        var blocks: [(offset: Int, keyword: String, rebinds: Bool)] = []

        /// Whether `text` is written at `index` (compared scalar by scalar, nothing allocated).
        func at(_ index: Int, _ text: String) -> Bool {
            var cursor = index
            for scalar in text.unicodeScalars {
                guard cursor < chars.count, chars[cursor] == scalar else { return false }
                cursor += 1
            }
            return true
        }

        mutating func fail(_ message: String, at offset: Int, help: String) {
            if result.problem == nil { result.problem = Problem(message: message, offset: offset, help: help) }
        }

        mutating func run() {
            var index = 0
            while index < chars.count, result.problem == nil {
                guard at(index, "{{") else {
                    index += 1
                    continue
                }
                guard let end = actionEnd(from: index + 2) else { return }
                action(from: index, bodyStart: index + 2, end: end)
                index = end + 2
            }
            if let open = blocks.last, result.problem == nil {
                fail(
                    "'{{ \(open.keyword) }}' is never closed", at: open.offset, help: "add '{{ end }}' after the block")
            }
        }

        /// The offset of the `}}` closing an action whose body starts at `start`, skipping string
        /// literals and comments; `nil` (reported) when there is none.
        mutating func actionEnd(from start: Int) -> Int? {
            var index = start
            while index < chars.count {
                if at(index, "}}") { return index }
                if at(index, "{{") { break }
                if at(index, "/*") {
                    guard let close = find("*/", from: index + 2) else { break }
                    index = close + 2
                    continue
                }
                if let close = stringEnd(from: index) {
                    index = close + 1
                    continue
                }
                index += 1
            }
            fail("'{{' is never closed", at: start - 2, help: "close the action with '}}'")
            return nil
        }

        func find(_ text: String, from start: Int) -> Int? {
            var index = start
            while index < chars.count {
                if at(index, text) { return index }
                index += 1
            }
            return nil
        }

        /// The offset of the closing quote of a string literal starting at `start`, or `nil` if
        /// none starts there (an unclosed one runs to the end).
        func stringEnd(from start: Int) -> Int? {
            let quote = chars[start]
            guard quote == "\"" || quote == "`" || quote == "'" else { return nil }
            var index = start + 1
            while index < chars.count {
                if chars[index] == "\\", quote != "`" {
                    index += 2
                    continue
                }
                if chars[index] == quote { return index }
                index += 1
            }
            return chars.count
        }

        static func isIdentifier(_ c: Unicode.Scalar) -> Bool {
            c.isASCII
                ? isASCIILetter(c) || ("0"..."9").contains(c)
                : c.properties.isAlphabetic || c.properties.numericType != nil
        }
        static func startsName(_ c: Unicode.Scalar) -> Bool { c.isASCII ? isASCIILetter(c) : c.properties.isAlphabetic }
        /// `_` and the ASCII letters: the ASCII scalars Unicode calls alphabetic, and `_`.
        static func isASCIILetter(_ c: Unicode.Scalar) -> Bool {
            c == "_" || ("a"..."z").contains(c) || ("A"..."Z").contains(c)
        }
        static func isSpace(_ c: Unicode.Scalar) -> Bool { c == " " || c == "\t" || c == "\n" || c == "\r" }

        /// One action `{{ … }}`: its keyword opens or closes a block; its references are read.
        mutating func action(from open: Int, bodyStart: Int, end: Int) {
            var start = bodyStart
            if start < end, chars[start] == "-" { start += 1 }
            while start < end, Self.isSpace(chars[start]) { start += 1 }
            var keywordEnd = start
            while keywordEnd < end, Self.isIdentifier(chars[keywordEnd]) { keywordEnd += 1 }
            let keyword = String(String.UnicodeScalarView(chars[start..<keywordEnd]))
            if keyword == "end" {
                if blocks.popLast() == nil {
                    fail(
                        "'{{ end }}' without an opening block", at: open,
                        help: "remove it, or open the block with 'if', 'range' or 'with'")
                }
                return
            }
            references(from: start, to: end)
            switch keyword {
            case "range", "with", "define", "block": blocks.append((open, keyword, true))
            case "if": blocks.append((open, keyword, false))
            default: break
            }
        }

        /// The keys named between two offsets of an action body.
        mutating func references(from start: Int, to end: Int) {
            let rebound = blocks.contains { $0.rebinds }
            var index = start
            while index < end {
                if let close = stringEnd(from: index) {
                    index = min(close, end) + 1
                    continue
                }
                if at(index, "/*") {
                    index = (find("*/", from: index + 2).map { $0 + 2 }) ?? end
                    continue
                }
                let previous: Unicode.Scalar? = index > start ? chars[index - 1] : nil
                if Self.startsName(chars[index]),
                    previous.map({ !Self.isIdentifier($0) && $0 != "." && $0 != "$" }) ?? true
                {
                    index = function(from: index, end: end)
                    continue
                }
                if chars[index] == ".", index + 1 < end, Self.startsName(chars[index + 1]) {
                    // `.a.b` and `$x.a` read fields of something else; `$.a` is the top level.
                    let chained = previous.map { Self.isIdentifier($0) || $0 == ")" || $0 == "]" } ?? false
                    var nameEnd = index + 1
                    while nameEnd < end, Self.isIdentifier(chars[nameEnd]) { nameEnd += 1 }
                    if previous == "$" || (!chained && !rebound) {
                        record(from: index + 1, nameEnd: nameEnd, limit: end)
                    }
                    index = nameEnd
                    continue
                }
                index += 1
            }
        }

        /// An identifier standing alone in an action: a function, unless it is a keyword.
        ///
        /// Returns the offset after it.
        mutating func function(from start: Int, end: Int) -> Int {
            var nameEnd = start
            while nameEnd < end, Self.isIdentifier(chars[nameEnd]) { nameEnd += 1 }
            let name = String(String.UnicodeScalarView(chars[start..<nameEnd]))
            if !GoTemplateScan.keywords.contains(name) {
                result.functions.append(Reference(name: name, offset: start, written: name))
            }
            if name == "index" { indexReference(at: start, end: end, rebound: blocks.contains { $0.rebinds }) }
            return nameEnd
        }

        mutating func record(from start: Int, nameEnd: Int, limit: Int) {
            var writtenEnd = nameEnd
            while writtenEnd < limit,
                Self.isIdentifier(chars[writtenEnd]) || chars[writtenEnd] == "-" || chars[writtenEnd] == "."
            { writtenEnd += 1 }
            while writtenEnd > nameEnd, chars[writtenEnd - 1] == "-" || chars[writtenEnd - 1] == "." { writtenEnd -= 1 }
            result.references.append(
                Reference(
                    name: String(String.UnicodeScalarView(chars[start..<nameEnd])),
                    offset: start,
                    written: String(String.UnicodeScalarView(chars[start..<writtenEnd]))
                ))
        }

        /// `index . "NAME"` (or `index $ "NAME"`): the key in the string literal.
        mutating func indexReference(at index: Int, end: Int, rebound: Bool) {
            var cursor = index + 5
            guard cursor < end, Self.isSpace(chars[cursor]) else { return }
            while cursor < end, Self.isSpace(chars[cursor]) { cursor += 1 }
            guard cursor < end, chars[cursor] == "$" || (chars[cursor] == "." && !rebound) else { return }
            cursor += 1
            guard cursor < end, Self.isSpace(chars[cursor]) else { return }
            while cursor < end, Self.isSpace(chars[cursor]) { cursor += 1 }
            guard cursor < end, chars[cursor] == "\"" || chars[cursor] == "`", let close = stringEnd(from: cursor),
                close < end
            else { return }
            let name = String(String.UnicodeScalarView(chars[cursor + 1..<close]))
            guard !name.contains("\\") else { return }
            result.references.append(Reference(name: name, offset: cursor + 1, written: name))
        }
    }
}
