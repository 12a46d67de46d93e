import Foundation

/// Reads the loosely typed values GetCourse answers with: booleans as `true`, `"true"`, `1` or `"1"`;
/// ids as numbers or strings.
enum LenientJSON {
    /// `nil` when the value is absent or not boolean-like.
    static func bool(_ value: Any?) -> Bool? {
        switch value {
        case let flag as Bool: return flag
        case let number as Int: return number != 0
        case let number as Double: return number != 0
        case let number as NSNumber: return number.intValue != 0
        case let text as String:
            switch text.trimmingCharacters(in: .whitespaces).lowercased() {
            case "true", "1", "yes": return true
            case "false", "0", "no", "": return false
            default: return nil
            }
        default: return nil
        }
    }

    /// An id as text, whether it came as a number or a string; `nil` for absent, empty or null.
    static func id(_ value: Any?) -> String? {
        let text: String
        switch value {
        case let number as Int: text = String(number)
        case let number as Int64: text = String(number)
        case let number as Double:
            text = number.rounded() == number && abs(number) < 1e15 ? String(Int64(number)) : String(number)
        case let number as NSNumber: text = number.stringValue
        case let string as String: text = string.trimmingCharacters(in: .whitespaces)
        default: return nil
        }
        return text.isEmpty ? nil : text
    }

    /// The human message of an error object: `error_message`, else a textual `error`, else `message`.
    static func message(in object: [String: Any]) -> String? {
        for key in ["error_message", "error", "message"] {
            if let text = object[key] as? String {
                let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
                if !trimmed.isEmpty, bool(trimmed) == nil { return trimmed }
            }
        }
        return nil
    }
}
