// email: GetCourse keys users by email, case-insensitively; "Ivan@Mail.RU " and "ivan@mail.ru" are the same
// user. Normalising here makes duplicates visible and the payload predictable.

/// Email normalisation (trim, lowercase) and a syntax check strict enough to catch typos and junk, lenient
/// enough for real addresses (plus tags, internationalised domains).
enum EmailTransform {
    static func normalise(_ value: String) throws(TransformFailure) -> String {
        let lowered = TextTransforms.lower(TextTransforms.trim(value))
        if let problem = syntaxProblem(lowered) { throw TransformFailure(problem) }
        return lowered
    }

    /// Nil when `email` looks like a deliverable address, else what is wrong with it.
    static func syntaxProblem(_ email: String) -> String? {
        var copy = email
        return copy.withUTF8(syntaxProblem)
    }

    static func syntaxProblem(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        guard let at = bytes.firstIndex(of: UInt8(ascii: "@")) else {
            return "not an email address: no «@»"
        }
        if bytes[(at + 1)...].contains(UInt8(ascii: "@")) { return "not an email address: more than one «@»" }
        let local = UnsafeBufferPointer(rebasing: bytes[..<at])
        let domain = UnsafeBufferPointer(rebasing: bytes[(at + 1)...])
        if local.isEmpty { return "not an email address: nothing before «@»" }
        if local.count > 64 { return "not an email address: the part before «@» is longer than 64 characters" }
        for byte in local where !isLocalByte(byte) {
            return byte < 0x80 && byte > 0x20
                ? "not an email address: «\(Character(Unicode.Scalar(byte)))» is not allowed before «@»"
                : "not an email address: spaces and non-Latin letters are not allowed before «@»"
        }
        if local.first == UInt8(ascii: ".") || local.last == UInt8(ascii: ".") || containsDoubleDot(local) {
            return "not an email address: misplaced «.» before «@»"
        }
        return domainProblem(domain)
    }

    /// Walks the labels in place (a `split` here allocated an array of slices for every row).
    private static func domainProblem(_ domain: UnsafeBufferPointer<UInt8>) -> String? {
        if domain.isEmpty { return "not an email address: no domain after «@»" }
        guard domain.contains(UInt8(ascii: ".")) else {
            return "not an email address: the domain has no «.» (e.g. mail.ru)"
        }
        var start = 0
        var top = 0..<0
        while start <= domain.count {
            var end = start
            while end < domain.count && domain[end] != UInt8(ascii: ".") { end += 1 }
            let label = UnsafeBufferPointer(rebasing: domain[start..<end])
            if label.isEmpty { return "not an email address: misplaced «.» in the domain" }
            if label.first == UInt8(ascii: "-") || label.last == UInt8(ascii: "-") {
                return "not an email address: a domain part starts or ends with «-»"
            }
            // Letters, digits, hyphens; bytes ≥ 0x80 allow internationalised domains such as почта.рф.
            if label.contains(where: { !(isAlphanumeric($0) || $0 == UInt8(ascii: "-") || $0 >= 0x80) }) {
                return "not an email address: the domain may hold only letters, digits, «-» and «.»"
            }
            top = start..<end
            start = end + 1
        }
        let last = UnsafeBufferPointer(rebasing: domain[top])
        if last.count < 2 || last.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
            return "not an email address: the domain must end in a name such as .ru or .com"
        }
        return nil
    }

    private static func containsDoubleDot(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var previousDot = false
        for byte in bytes {
            let dot = byte == UInt8(ascii: ".")
            if dot && previousDot { return true }
            previousDot = dot
        }
        return false
    }

    @inline(__always)
    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A)
    }

    /// RFC 5322 atext plus «.»: what an unquoted local part may hold.
    @inline(__always)
    private static func isLocalByte(_ byte: UInt8) -> Bool {
        if isAlphanumeric(byte) { return true }
        switch byte {
        case UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "!"),
            UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"), UInt8(ascii: "'"),
            UInt8(ascii: "*"), UInt8(ascii: "/"), UInt8(ascii: "="), UInt8(ascii: "?"), UInt8(ascii: "^"),
            UInt8(ascii: "`"), UInt8(ascii: "{"), UInt8(ascii: "|"), UInt8(ascii: "}"), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }
}
