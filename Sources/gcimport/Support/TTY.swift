#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Whether a standard stream is a terminal that understands colour, and how to paint text on it.
///
/// Colour only on a TTY, never when `TERM=dumb` or `NO_COLOR` is set (https://no-color.org), so piped or
/// logged output stays plain text.
struct TTY: Sendable {
    let usesColor: Bool

    /// For standard output (`fileno(stdout)`), or any other descriptor.
    init(descriptor: Int32 = STDOUT_FILENO) {
        usesColor = Self.isTerminal(descriptor) && getenv("NO_COLOR") == nil
    }

    /// The one terminal check: a TTY that can redraw and paint (not `TERM=dumb`).
    static func isTerminal(_ descriptor: Int32) -> Bool {
        isatty(descriptor) == 1 && getenv("TERM").map { String(cString: $0) } != "dumb"
    }

    enum Style: String {
        case bold = "1"
        case red = "31"
        case green = "32"
        case yellow = "33"
        case dim = "2"
    }

    /// `text` wrapped in an ANSI style when colour is on.
    func paint(_ text: String, _ style: Style) -> String {
        usesColor ? "\u{1B}[\(style.rawValue)m\(text)\u{1B}[0m" : text
    }
}

/// The one writer of standard error: at once, unbuffered (the C `stderr` global is not concurrency-safe in
/// Swift 6), and errors with one prefix.
enum StandardError {
    static func emit(_ text: String) {
        var line = text
        if !line.hasSuffix("\n") { line += "\n" }
        var bytes = Array(line.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
            if written < 0, errno == EINTR { continue }
            if written <= 0 { return }
            bytes = bytes.dropFirst(written)
        }
    }

    /// `gcimport: error: MESSAGE`.
    static func error(_ message: String) { emit("gcimport: error: " + message) }
}
