/// Reads the text fields of a `multipart/form-data` body, which PHP also accepts into `$_POST`: PHP's curl
/// sends one whenever `CURLOPT_POSTFIELDS` is an array, and `curl -F` always does.
enum MultipartDecoder {
    static func decode(_ body: [UInt8], contentType: String) -> [String: String] {
        guard let boundary = parameter("boundary", of: contentType), !boundary.isEmpty else { return [:] }
        let delimiter = Array(("--" + boundary).utf8)
        var fields: [String: String] = [:]
        for part in split(body, by: delimiter) {
            // Each part: CRLF, headers, CRLF CRLF, content, CRLF.
            guard let headerEnd = find(Array("\r\n\r\n".utf8), in: part, from: part.startIndex) else { continue }
            let headerText = String(decoding: part[part.startIndex..<headerEnd], as: UTF8.self)
            guard
                let disposition = headerText.split(separator: "\r\n").first(where: {
                    $0.lowercased().hasPrefix("content-disposition")
                }),
                let name = parameter("name", of: String(disposition))
            else { continue }
            var content = part[(headerEnd + 4)...]
            if content.suffix(2).elementsEqual([0x0D, 0x0A]) { content = content.dropLast(2) }
            fields[name] = String(decoding: content, as: UTF8.self)
        }
        return fields
    }

    /// `name=value` or `name="value"` inside a header value.
    private static func parameter(_ name: String, of header: String) -> String? {
        for piece in header.split(separator: ";") {
            let pair = piece.split(separator: "=", maxSplits: 1).map { String($0).trimmingSpaces() }
            guard pair.count == 2, pair[0].lowercased() == name else { continue }
            var value = pair[1]
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 {
                value = String(value.dropFirst().dropLast())
            }
            return value
        }
        return nil
    }

    private static func split(_ body: [UInt8], by delimiter: [UInt8]) -> [ArraySlice<UInt8>] {
        var parts: [ArraySlice<UInt8>] = []
        var start: Int?
        var index = 0
        while let found = find(delimiter, in: body[...], from: index) {
            if let start { parts.append(body[start..<found]) }
            start = found + delimiter.count
            index = found + delimiter.count
        }
        return parts
    }

    private static func find(_ needle: [UInt8], in haystack: ArraySlice<UInt8>, from start: Int) -> Int? {
        guard !needle.isEmpty, haystack.endIndex - start >= needle.count else { return nil }
        var index = start
        while index + needle.count <= haystack.endIndex {
            if haystack[index] == needle[0], haystack[index..<(index + needle.count)].elementsEqual(needle) {
                return index
            }
            index += 1
        }
        return nil
    }
}
