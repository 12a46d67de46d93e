import Testing

@testable import GCImportKit

/// A mistyped group name is told from the next cohort's.
@Suite struct NameMatchTests {
    @Test(arguments: [
        ("Основы Pyhton", "Основы Python"),  // two letters swapped
        ("курс excel", "Курс Excel"),  // case
        ("Курс  Excel ", "Курс Excel"),  // spaces
        ("Курс Excel", "Курс Ехсеl"),  // Cyrillic look-alikes in the account's name
        ("Продвинутый курс", "Продвинутй курс"),  // one letter missing
        ("Ёлка", "Елка"),
    ])
    func likelyTypos(candidate: String, existing: String) {
        #expect(NameMatch.isLikelyTypo(candidate, of: existing))
    }

    @Test(arguments: [
        ("Поток 4", "Поток 3"),  // the next cohort
        ("Группа B", "Группа A"),  // a variant label
        ("Поток III", "Поток II"),
        ("Выпуск 2025", "Выпуск 2024"),
        ("VIP", "VIP2"),  // short names: only case and spaces count
        ("Маркетинг", "Менеджмент"),
        ("Курс Excel", "Курс Excel"),  // the same name is not a typo of itself
    ])
    func differentNames(candidate: String, existing: String) {
        #expect(!NameMatch.isLikelyTypo(candidate, of: existing))
    }

    @Test func transpositionsCountAsOneEdit() {
        #expect(NearestMatch.distance("python", "pyhton", transpositions: true) == 1)
        #expect(NearestMatch.distance("python", "pyhton") == 2)
        #expect(NearestMatch.distance("", "abc", transpositions: true) == 3)
    }
}
