/// PEM certificates, as `vault.caBundle` carries them.
enum PEM {
    static let begin = "-----BEGIN CERTIFICATE-----"
    static let end = "-----END CERTIFICATE-----"

    /// Why text is not one or more PEM `CERTIFICATE` blocks, or `nil` when it is.
    ///
    /// Blank lines around the blocks are allowed. Each block's base64 must decode to something
    /// shaped like DER (an ASN.1 SEQUENCE).
    static func certificateProblem(_ text: String) -> String? {
        // The base64 of the block being read, appended in place (taking it out of an optional and
        // putting it back copied the whole block for every line: a 1 MiB bundle took seconds).
        var body: [UInt8] = []
        var inBlock = false
        var count = 0
        for raw in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            let line = raw.trimmingWhitespace
            if inBlock {
                if line == end {
                    count += 1
                    guard let der = Base64.decode(body) else { return "certificate \(count) is not valid base64" }
                    guard der.first == 0x30 else { return "certificate \(count) does not decode to a DER certificate" }
                    inBlock = false
                } else if line.hasPrefix("-----") {
                    return "certificate \(count + 1) has no '\(end)' line"
                } else {
                    body.append(contentsOf: line.utf8)
                }
            } else if line == begin {
                body.removeAll(keepingCapacity: true)
                inBlock = true
            } else if line.hasPrefix("-----BEGIN ") {
                return "it holds a '\(line.dropFirst(11).prefix { $0 != "-" })' block, not a CERTIFICATE"
            } else if !line.isEmpty {
                return "it has text outside the '\(begin)' blocks"
            }
        }
        if inBlock { return "certificate \(count + 1) has no '\(end)' line" }
        return count == 0 ? "it holds no '\(begin)' block" : nil
    }
}

/// Standard base64 (RFC 4648, with padding): Kubernetes' encoding of `[]byte` fields.
enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index < bytes.count {
            let chunk = bytes[index..<min(index + 3, bytes.count)]
            let value = chunk.enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (16 - 8 * UInt32($1.offset)) }
            for position in 0..<4 {
                out.append(
                    position <= chunk.count
                        ? alphabet[Int((value >> (18 - 6 * UInt32(position))) & 0x3F)] : UInt8(ascii: "="))
            }
            index += 3
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The bytes, or `nil` when the text is not whole, padded base64.
    static func decode(_ text: [UInt8]) -> [UInt8]? {
        guard !text.isEmpty, text.count % 4 == 0 else { return nil }
        var values: [UInt8] = []
        values.reserveCapacity(text.count)
        let padding = text.reversed().prefix { $0 == UInt8(ascii: "=") }.count
        guard padding <= 2 else { return nil }
        for byte in text.dropLast(padding) {
            guard let value = alphabet.firstIndex(of: byte) else { return nil }
            values.append(UInt8(value))
        }
        var out: [UInt8] = []
        var accumulator: UInt32 = 0
        var bits = 0
        for value in values {
            accumulator = accumulator << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8((accumulator >> UInt32(bits)) & 0xFF))
            }
        }
        return out
    }
}

extension Substring {
    /// Without spaces, tabs and carriage returns at either end.
    var trimmingWhitespace: Substring {
        let blank: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" }
        guard let first = firstIndex(where: { !blank($0) }), let last = lastIndex(where: { !blank($0) }) else {
            return ""
        }
        return self[first...last]
    }
}
