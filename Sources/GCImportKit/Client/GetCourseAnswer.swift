import Foundation

/// A GetCourse answer, decoded into a typed value: the envelope every API call shares (`success`, the
/// message keys, `error_code`) and the `result` of an import call. Decoding is lenient where GetCourse is
/// loose: flags arrive as `true`, `"true"`, `1` or `"1"`, ids as numbers or strings, and a key of an
/// unexpected type reads as absent instead of failing the whole answer.
struct GetCourseAnswer: Decodable, Sendable {
    /// The `result` object of an import call.
    struct ImportResult: Decodable, Sendable {
        var success: LenientScalar?
        var error: LenientScalar?
        var messages: Messages
        var userID: LenientScalar?
        var dealID: LenientScalar?
        var dealNumber: LenientScalar?
        var userStatus: LenientScalar?
        var paymentLink: LenientScalar?

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: AnswerKey.self)
            success = container.lenient(.success)
            error = container.lenient(.error)
            messages = Messages(container)
            userID = container.lenient(.userID)
            dealID = container.lenient(.dealID)
            dealNumber = container.lenient(.dealNumber)
            userStatus = container.lenient(.userStatus)
            paymentLink = container.lenient(.paymentLink)
        }
    }

    /// The texts an error may be in, in the order they are read.
    struct Messages: Sendable {
        var errorMessage: LenientScalar?
        var error: LenientScalar?
        var message: LenientScalar?

        init(_ container: KeyedDecodingContainer<AnswerKey>) {
            errorMessage = container.lenient(.errorMessage)
            error = container.lenient(.error)
            message = container.lenient(.message)
        }

        /// `error_message`, else a textual `error` (not a flag like `true`), else `message`.
        var text: String? {
            for value in [errorMessage, error, message] {
                guard case .string(let raw)? = value?.value else { continue }
                let trimmed = raw.trimmingCharacters(in: .whitespacesAndNewlines)
                if !trimmed.isEmpty, LenientScalar.flag(trimmed) == nil { return trimmed }
            }
            return nil
        }
    }

    /// Whether the answer has a `success` key at all (what tells a GetCourse answer from another JSON body).
    var hasSuccess: Bool
    var success: LenientScalar?
    var messages: Messages
    var errorCode: LenientScalar?
    /// Nil when absent or not an object.
    var result: ImportResult?

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AnswerKey.self)
        hasSuccess = container.contains(.success)
        success = container.lenient(.success)
        messages = Messages(container)
        errorCode = container.lenient(.errorCode)
        result = try? container.decodeIfPresent(ImportResult.self, forKey: .result)
    }

    /// Decodes a body (a UTF-8 byte-order mark some PHP stacks send is skipped); nil when it is not a JSON
    /// object. A large body (an export) is decoded without its `info`, which the envelope does not read:
    /// the decoder maps every value of what it is given, hundreds of MiB for a big export.
    static func decode(_ body: [UInt8]) -> GetCourseAnswer? {
        var json = body.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(body.dropFirst(3)) : body
        if json.count >= largeBody {
            guard let envelope = ExportScanner.envelope(json) else { return nil }
            json = envelope
        }
        return try? JSONDecoder().decode(GetCourseAnswer.self, from: Data(json))
    }

    /// From this size on, `decode` leaves `info` out.
    static let largeBody = 1 << 20

    struct AnswerKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }

        static let success = AnswerKey(stringValue: "success")
        static let error = AnswerKey(stringValue: "error")
        static let errorMessage = AnswerKey(stringValue: "error_message")
        static let message = AnswerKey(stringValue: "message")
        static let errorCode = AnswerKey(stringValue: "error_code")
        static let result = AnswerKey(stringValue: "result")
        static let userID = AnswerKey(stringValue: "user_id")
        static let dealID = AnswerKey(stringValue: "deal_id")
        static let dealNumber = AnswerKey(stringValue: "deal_number")
        static let userStatus = AnswerKey(stringValue: "user_status")
        static let paymentLink = AnswerKey(stringValue: "payment_link")
    }
}

/// One JSON scalar as GetCourse sends it, read as a flag or an id whatever its JSON type.
struct LenientScalar: Decodable, Sendable, Equatable {
    enum Value: Sendable, Equatable {
        case bool(Bool)
        case integer(Int64)
        case real(Double)
        case string(String)
        /// null, an array or an object.
        case other
    }

    var value: Value

    init(_ value: Value) { self.value = value }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        // A JSON value decodes as one type only, so the order is by frequency: an export table is mostly
        // strings, and every failed attempt costs a thrown error (BENCHMARKS.md, "Design choices, measured").
        if let text = try? container.decode(String.self) {
            value = .string(text)
        } else if container.decodeNil() {
            value = .other
        } else if let number = try? container.decode(Int64.self) {
            value = .integer(number)
        } else if let flag = try? container.decode(Bool.self) {
            value = .bool(flag)
        } else if let number = try? container.decode(Double.self) {
            value = .real(number)
        } else {
            value = .other
        }
    }

    /// `true`, `1`, `"true"`, `"1"`, `"yes"`; false for their opposites and `""`; nil otherwise.
    var bool: Bool? {
        switch value {
        case .bool(let flag): flag
        case .integer(let number): number != 0
        case .real(let number): number != 0
        case .string(let text): Self.flag(text)
        case .other: nil
        }
    }

    /// An id as text, whether it came as a number or a string; nil for empty, null, arrays and objects.
    var id: String? {
        let text: String
        switch value {
        case .bool(let flag): text = flag ? "1" : "0"
        case .integer(let number): text = String(number)
        case .real(let number): text = Self.text(of: number)
        case .string(let string): text = string.trimmingCharacters(in: .whitespaces)
        case .other: return nil
        }
        return text.isEmpty ? nil : text
    }

    /// A number as an id reads: `7` for 7.0, `1.5` for 1.5.
    static func text(of number: Double) -> String {
        number.rounded() == number && abs(number) < 1e15 ? String(Int64(number)) : String(number)
    }

    static func flag(_ text: String) -> Bool? {
        switch text.trimmingCharacters(in: .whitespaces).lowercased() {
        case "true", "1", "yes": true
        case "false", "0", "no", "": false
        default: nil
        }
    }
}

extension KeyedDecodingContainer<GetCourseAnswer.AnswerKey> {
    /// The value under `key`, nil when it is absent.
    fileprivate func lenient(_ key: GetCourseAnswer.AnswerKey) -> LenientScalar? {
        try? decodeIfPresent(LenientScalar.self, forKey: key)
    }
}
