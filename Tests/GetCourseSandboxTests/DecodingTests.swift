import Foundation
import NIOCore
import Testing

@testable import GetCourseSandbox

/// The pure pieces under the protocol: JSON, form and base64 decoding, field rules, the rate limiter.
@Suite struct DecodingTests {
    @Test func jsonParserReadsWhatPHPWrites() throws {
        let value = try JSONParser.parse(
            Array(#" {"a":[1,-2.5,true,null,"\u0418\u0432\u0430\u043d \ud83d\ude00 \/ \n"],"b":{}} "#.utf8))
        #expect(value["a"]?.arrayElements?[0] == 1)
        #expect(value["a"]?.arrayElements?[1] == .number(-2.5))
        #expect(value["a"]?.arrayElements?[3] == .null)
        #expect(value["a"]?.arrayElements?[4] == .string("Иван 😀 / \n"))
        #expect(value["b"] == .object([]))
    }

    @Test(arguments: [
        #"{"a":1,}"#, "{'a':1}", #"{"a":1} x"#, "[1,2", #""\ud800""#, "01", "-", "{\"a\":\"\u{01}\"}", "",
    ])
    func jsonParserIsStrict(text: String) {
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(Array(text.utf8)) }
    }

    @Test func jsonWriterRoundTripsAndEscapes() throws {
        let value = JSONValue.object([("текст", "кавычка \" слеш \\ / \u{01}\n"), ("n", 12_000.5), ("i", 189_870_964)])
        let bytes = JSONWriter.bytes(value)
        #expect(String(decoding: bytes, as: UTF8.self).contains(#""i":189870964"#))
        #expect(try JSONParser.parse(bytes) == value)
    }

    @Test func formDecoderFollowsPHP() {
        let fields = FormDecoder.decode(Array("a=1+2&b=%D0%98%3D&c&a=3&bad=%zz%4".utf8))
        #expect(fields["a"] == "3")
        #expect(fields["b"] == "И=")
        #expect(fields["c"] == "")
        #expect(fields["bad"] == "%zz%4")
        #expect(FormDecoder.decode(Array("created_at%5Bfrom%5D=2024-01-01".utf8))["created_at[from]"] == "2024-01-01")
    }

    @Test func lenientBase64SkipsForeignCharacters() {
        let text = "Иван Петров, ~~~>"
        let encoded = Data(text.utf8).base64EncodedString()
        #expect(LenientBase64.decode(encoded) == Array(text.utf8))
        // Line breaks (as `base64` wraps) and missing padding are fine.
        let wrapped = encoded.prefix(8) + "\n" + encoded.dropFirst(8).replacingOccurrences(of: "=", with: "")
        #expect(LenientBase64.decode(String(wrapped)) == Array(text.utf8))
        // A '+' turned space is skipped, and everything after it shifts.
        #expect(LenientBase64.decode(encoded.replacingOccurrences(of: "+", with: " ")) != Array(text.utf8))
    }

    @Test func truthyFlags() {
        for flag: JSONValue in [1, "1", true, "true", "yes", " TRUE "] { #expect(flag.isTruthy) }
        for flag: JSONValue in [0, "0", false, "false", "", .null, "no"] { #expect(!flag.isTruthy) }
    }

    @Test(arguments: [
        ("ivan@example.com", true), ("Ivan.Petrov+tag@sub.example.ru", true), ("a@b.рф", true),
        ("plain", false), ("a@b", false), ("a@@b.ru", false), (".a@b.ru", false), ("a..b@c.ru", false),
        ("a b@c.ru", false), ("a@-b.ru", false), ("a@b.r1", false),
    ])
    func emailRule(email: String, valid: Bool) {
        #expect(FieldRules.isValidEmail(email) == valid)
    }

    @Test func dateRule() {
        #expect(FieldRules.normalizedDateTime("2024-01-31") == "2024-01-31 00:00:00")
        #expect(FieldRules.normalizedDateTime("2024-02-29 7:05") == "2024-02-29 07:05:00")
        #expect(FieldRules.normalizedDateTime("01.02.2024 10:11:12") == "2024-02-01 10:11:12")
        #expect(FieldRules.normalizedDateTime("2023-02-29") == nil)
        #expect(FieldRules.normalizedDateTime("2024-13-01") == nil)
        #expect(FieldRules.normalizedDateTime("2024-01-01 25:00") == nil)
        #expect(FieldRules.normalizedDateTime("yesterday") == nil)
    }

    @Test func amountRule() {
        #expect(FieldRules.amount(12_000) == 12_000)
        #expect(FieldRules.amount("12000,50") == 12_000.5)
        #expect(FieldRules.amount(" 99.9 ") == 99.9)
        #expect(FieldRules.amount("12 000,00") == nil)
        #expect(FieldRules.amount("1.2.3") == nil)
        #expect(FieldRules.amount("-5") == nil)
        #expect(FieldRules.amount(-5) == nil)
        #expect(FieldRules.amount(true) == nil)
    }

    @Test func rateLimiterRefillsOverTime() {
        let limiter = RateLimiter(perSecond: 2)
        let start = NIODeadline.now()
        #expect(limiter.admit(now: start) == nil)
        #expect(limiter.admit(now: start) == nil)
        #expect(limiter.admit(now: start) == 1)
        #expect(limiter.admit(now: start + .milliseconds(500)) == nil)
        #expect(limiter.admit(now: start + .milliseconds(500)) != nil)
        let slow = RateLimiter(perSecond: 0.25)
        #expect(slow.admit(now: start) == nil)
        #expect(slow.admit(now: start) == 4)
    }

    @Test func endpointNamesGroupIds() {
        #expect(SandboxRouter.endpointName("/pl/api/account/exports/17") == "/pl/api/account/exports/{id}")
        #expect(SandboxRouter.endpointName("/pl/api/account/groups/5/users/") == "/pl/api/account/groups/{id}/users")
        #expect(SandboxRouter.endpointName("/pl/api/users") == "/pl/api/users")
    }
}
