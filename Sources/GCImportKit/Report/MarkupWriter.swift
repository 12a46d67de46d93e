/// Writes HTML and SVG with every attribute and text escaped, so a message or a name from the ledger can
/// never become markup. The output is also well-formed XML (elements closed, numeric entities only), which
/// the tests check with an XML parser.
struct MarkupWriter {
    private(set) var output = ""

    mutating func open(_ name: String, _ attributes: [(String, String)] = []) {
        tag(name, attributes, closing: ">")
    }

    mutating func close(_ name: String) { output += "</\(name)>" }

    /// An element with no content: `<rect … />`.
    mutating func element(_ name: String, _ attributes: [(String, String)]) {
        tag(name, attributes, closing: "/>")
    }

    private mutating func tag(_ name: String, _ attributes: [(String, String)], closing: String) {
        output += "<" + name
        for (key, value) in attributes { output += " \(key)=\"\(Self.escape(value))\"" }
        output += closing
    }

    /// `<name attributes>text</name>`.
    mutating func text(_ content: String, _ attributes: [(String, String)] = [], in name: String = "text") {
        open(name, attributes)
        output += Self.escape(content)
        close(name)
    }

    /// An SVG tooltip.
    mutating func title(_ content: String) { text(content, in: "title") }

    /// Markup the caller built itself.
    mutating func raw(_ markup: String) { output += markup }

    static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            // Characters XML forbids (C0 controls but tab and newlines) would make the page ill-formed.
            case _ where scalar.value < 0x20 && scalar != "\t" && scalar != "\n" && scalar != "\r":
                escaped += "\u{FFFD}"
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }
}
