import Testing

@testable import GCImportKit

@Test(arguments: [
    ("  Иван  ", "Иван"),
    ("\u{A0}Иван\u{A0}", "Иван"),
    ("\u{202F}a b\u{2009}", "a b"),
    ("\t\r\nx\n", "x"),
    ("", ""),
    ("   ", ""),
    ("без пробелов", "без пробелов"),
])
func trimRemovesAllKindsOfSpace(input: String, expected: String) {
    #expect(TextTransforms.trim(input) == expected)
}

@Test(arguments: [
    ("  Анна   Мария\u{A0}\u{A0}Петрова ", "Анна Мария Петрова"),
    ("a\t\tb", "a b"),
    ("", ""),
])
func collapseSpacesLeavesSingleSpaces(input: String, expected: String) {
    #expect(TextTransforms.collapseSpaces(input) == expected)
}

@Test func lowerAndUpperHandleASCIIAndCyrillic() {
    #expect(TextTransforms.lower("Ivan@Mail.RU") == "ivan@mail.ru")
    #expect(TextTransforms.lower("ПРИВЕТ Мир") == "привет мир")
    #expect(TextTransforms.upper("rub") == "RUB")
    #expect(TextTransforms.upper("руб") == "РУБ")
}

@Test func blankCellsAreRecognised() {
    #expect(TextTransforms.isBlank(""))
    #expect(TextTransforms.isBlank(" \u{A0}\t"))
    #expect(!TextTransforms.isBlank(" a "))
}

@Test func templatesParseColumnsAndLiterals() throws {
    let template = try Template("{Имя} {Фамилия} ({2}) {{x}}")
    #expect(
        template.parts == [
            .column(.name("Имя")), .literal(" "), .column(.name("Фамилия")), .literal(" ("), .column(.index(2)),
            .literal(") {x}"),
        ])
    #expect(throws: TransformFailure.self) { try Template("no columns") }
    #expect(throws: TransformFailure.self) { try Template("{open") }
}

@Test func valueMapsMatchExactlyThenLoosely() throws {
    let map = ValueMap([("Оплачен", "payed"), ("Новый", "new")], fallback: nil)
    #expect(try map.apply("Оплачен") == "payed")
    #expect(try map.apply(" новый ") == "new")
    #expect(throws: TransformFailure.self) { try map.apply("Архив") }
    let withDefault = ValueMap([("Оплачен", "payed")], fallback: "new")
    #expect(try withDefault.apply("Архив") == "new")
}
