import Foundation
import Testing

@testable import GCImportKit

/// Rows mapped through the real mapper, the JSON they must give, and the byte-exact form body (key `K3Y`).
private let cases: [(yaml: String, header: [String], fields: [String], json: String, body: String)] = [
    (
        "kind: user\nfields:\n  user.email: {column: 1, transforms: [email]}\n  user.first_name: 2\n",
        ["Email", "Имя"], ["Ivan@Mail.ru", "Иван"],
        #"{"user":{"email":"ivan@mail.ru","first_name":"Иван"}}"#,
        "action=add&key=K3Y&params=eyJ1c2VyIjp7ImVtYWlsIjoiaXZhbkBtYWlsLnJ1IiwiZmlyc3RfbmFtZSI6ItCY0LLQsNC9In19"
    ),
    (
        "kind: user\nfields:\n  user.email: 1\n  user.city: 2\n",
        ["Email", "Город"], ["a@b.ru", "Санкт-Петербург"],
        #"{"user":{"email":"a@b.ru","city":"Санкт-Петербург"}}"#,
        "action=add&key=K3Y&params=eyJ1c2VyIjp7ImVtYWlsIjoiYUBiLnJ1IiwiY2l0eSI6ItCh0LDQvdC60YIt0J%2FQtdGC0LXRgNCx0YPRgNCzIn19"
    ),
    (
        "kind: deal\nfields:\n  user.email: 1\n  deal.offer_code: 2\n  deal.deal_cost: {column: 3, transforms: [money]}\n"
            + "  deal.deal_status: {column: 4, map: {Оплачен: payed}}\n",
        ["e", "o", "c", "s"], ["a@b.ru", "course", "12 000,00", "Оплачен"],
        #"{"user":{"email":"a@b.ru"},"deal":{"offer_code":"course","deal_cost":"12000","deal_status":"payed"}}"#,
        "action=add&key=K3Y&params=eyJ1c2VyIjp7ImVtYWlsIjoiYUBiLnJ1In0sImRlYWwiOnsib2ZmZXJfY29kZSI6ImNvdXJzZSIsImRlYWxf"
            + "Y29zdCI6IjEyMDAwIiwiZGVhbF9zdGF0dXMiOiJwYXllZCJ9fQ%3D%3D"
    ),
    (
        "kind: user_groups\nfields:\n  user.id: 1\n  user.group_name: {column: 2, split: \",\"}\n",
        ["id", "groups"], ["123", "A, Б"],
        #"{"user":{"id":"123","group_name":["A","Б"]}}"#,
        "action=update&key=K3Y&params=eyJ1c2VyIjp7ImlkIjoiMTIzIiwiZ3JvdXBfbmFtZSI6WyJBIiwi0JEiXX19"
    ),
]

@Test(arguments: cases.indices)
func formBodiesAreByteExact(index: Int) throws {
    let entry = cases[index]
    let row = try mapRow(try loadMapping(entry.yaml), header: entry.header, entry.fields)
    guard case .payload(let payload) = row else {
        Issue.record("row did not map: \(row)")
        return
    }
    #expect(String(decoding: payload.params, as: UTF8.self) == entry.json)
    let body = FormBody.encode(action: payload.kind.action, key: "K3Y", params: payload.params)
    #expect(String(decoding: body, as: UTF8.self) == entry.body)
    // Decode it back as the server would: split the form, percent-decode, base64-decode.
    let form = Dictionary(
        uniqueKeysWithValues: String(decoding: body, as: UTF8.self).split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1)
            return (String(parts[0]), String(parts[1]).removingPercentEncoding ?? "")
        })
    #expect(form["action"] == payload.kind.action)
    #expect(form["key"] == "K3Y")
    let decoded = try #require(Data(base64Encoded: form["params"] ?? ""))
    #expect(String(decoding: decoded, as: UTF8.self) == entry.json)
    let object = try JSONSerialization.jsonObject(with: decoded)
    #expect(object is [String: Any])
}

@Test func maskedBodyHidesTheKey() throws {
    let row = try mapRow(try loadMapping(cases[0].yaml), header: cases[0].header, cases[0].fields)
    let payload = try #require(row.payload)
    let masked = PayloadBuilder.maskedBody(payload)
    #expect(masked.hasPrefix("action=add&key=***&params=eyJ1"))
}

@Test func prettyPrinterIndentsWithoutTouchingStrings() {
    let pretty = JSONPrettyPrinter.format(Array(#"{"a":{"b":["x,{y}",1]},"c":{}}"#.utf8))
    #expect(pretty == "{\n  \"a\": {\n    \"b\": [\n      \"x,{y}\",\n      1\n    ]\n  },\n  \"c\": {}\n}")
}

@Test func fastPercentEncodedBase64MatchesTheTwoStepEncoding() {
    var generator = SystemRandomNumberGenerator()
    for length in 0..<200 {
        let input = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
        var fast: [UInt8] = []
        Base64.appendPercentEncoded(input, to: &fast)
        var slow: [UInt8] = []
        FormBody.percentEncode(Data(input).base64EncodedString().utf8, into: &slow)
        #expect(fast == slow, "length \(length)")
        #expect(Data(base64Encoded: String(decoding: slow, as: UTF8.self).removingPercentEncoding ?? "") == Data(input))
    }
}
