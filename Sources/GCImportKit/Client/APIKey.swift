import Foundation

/// The account's secret key. It is only ever put into a request body: its `description` is masked, so a
/// stray interpolation into a message, a log line or the ledger cannot leak it.
package struct APIKey: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The environment variable the key is read from when no `--key-file` is given.
    static let environmentVariable = "GETCOURSE_API_KEY"

    /// The key itself; read it only to build a request body or to redact it from text.
    let secret: String

    package init(secret: String) {
        self.secret = secret
    }

    package var description: String { "***" }
    package var debugDescription: String { "APIKey(***)" }

    /// Replaces every occurrence of the key in `text` with `***` (for answers that might echo it back).
    func redact(_ text: String) -> String {
        guard !secret.isEmpty, text.contains(secret) else { return text }
        return text.replacingOccurrences(of: secret, with: "***")
    }

    /// Reads the key from `keyFile` when given, otherwise from `GETCOURSE_API_KEY`.
    ///
    /// A key file holds the key on its first non-empty line; surrounding whitespace is ignored, so a file
    /// saved by an editor with a trailing newline works.
    package static func load(
        keyFile: String?, environment: [String: String]? = nil
    ) throws(APIKeyError) -> APIKey {
        let environment = environment ?? ProcessInfo.processInfo.environment
        if let keyFile {
            let data: Data
            do {
                data = try Data(contentsOf: URL(fileURLWithPath: keyFile))
            } catch {
                throw .unreadableFile(path: keyFile, reason: Self.reason(error))
            }
            let text = String(decoding: data, as: UTF8.self)
            let line = text.split(whereSeparator: \.isNewline)
                .map { $0.trimmingCharacters(in: .whitespaces) }
                .first { !$0.isEmpty }
            guard let line else { throw .emptyFile(path: keyFile) }
            return APIKey(secret: line)
        }
        let value = environment[environmentVariable]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        guard !value.isEmpty else { throw .missing }
        return APIKey(secret: value)
    }

    private static func reason(_ error: any Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError {
            return String(cString: strerror(Int32(underlying.code)))
        }
        return nsError.localizedDescription
    }
}

/// Why no key could be loaded; the text says where the key is expected.
package enum APIKeyError: Error, Sendable, Equatable, CustomStringConvertible {
    case missing
    case unreadableFile(path: String, reason: String)
    case emptyFile(path: String)

    package var description: String {
        switch self {
        case .missing:
            "no API key: set \(APIKey.environmentVariable) or pass --key-file FILE (a file holding the key from "
                + "GetCourse: Settings → API). No flag takes the key itself, so it never shows in `ps` or shell history."
        case .unreadableFile(let path, let reason):
            "cannot read the key file \(path): \(reason)"
        case .emptyFile(let path):
            "the key file \(path) is empty: put the account's API key on its first line"
        }
    }
}
