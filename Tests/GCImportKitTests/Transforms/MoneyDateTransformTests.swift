import Testing

@testable import GCImportKit

@Test(arguments: [
    ("12 000,00", "12000"),
    ("12\u{A0}000,50", "12000.5"),
    ("12\u{202F}000.75 руб.", "12000.75"),
    ("1,234.56", "1234.56"),
    ("1.234,56", "1234.56"),
    ("1 234 567", "1234567"),
    ("1.234.567", "1234567"),
    ("990", "990"),
    ("990.", "990"),
    ("990 р.", "990"),
    ("₽ 1 500", "1500"),
    ("$19.99", "19.99"),
    ("1500 RUB", "1500"),
    ("0,5", "0.5"),
    ("007", "7"),
    ("-100,00", "-100"),
    ("\u{2212}100", "-100"),
    ("12 000,00 ₽", "12000"),
])
func moneyReadsCommonSpellings(input: String, expected: String) throws {
    #expect(try MoneyTransform.normalise(input) == expected)
}

@Test(arguments: ["abc", "", "12-00", "1.234,56,7", "руб.", "12 000 абв 5"])
func moneyRejectsJunk(input: String) {
    #expect(throws: TransformFailure.self) { try MoneyTransform.normalise(input) }
}

@Test(arguments: [
    ("dd.MM.yyyy HH:mm", "01.02.2024 14:30", "2024-02-01 14:30:00"),
    ("dd.MM.yyyy", "01.02.2024", "2024-02-01 00:00:00"),
    ("dd.MM.yyyy", "1.2.2024", "2024-02-01 00:00:00"),
    ("yyyy-MM-dd HH:mm:ss", "2024-02-29 23:59:59", "2024-02-29 23:59:59"),
    ("dd/MM/yy", "31/12/23", "2023-12-31 00:00:00"),
    ("yyyy-MM-dd'T'HH:mm", "2024-03-05T07:08", "2024-03-05 07:08:00"),
    ("dd.MM.yyyy HH:mm", "01.02.2024   14:30", "2024-02-01 14:30:00"),
])
func datePatternsParse(format: String, input: String, expected: String) throws {
    let transform = DateTransform(patterns: [try DatePattern(format)], from: nil, to: nil)
    #expect(try transform.apply(input) == expected)
}

@Test(arguments: ["31.02.2024", "2024-02-01", "01.13.2024", "01.02.2024 25:00", "01.02.24", "x", "01.02.2024 14:30"])
func datePatternsRejectMismatches(input: String) throws {
    let transform = DateTransform(patterns: [try DatePattern("dd.MM.yyyy")], from: nil, to: nil)
    #expect(throws: TransformFailure.self) { try transform.apply(input) }
}

@Test func dateTriesFormatsInOrder() throws {
    let transform = DateTransform(patterns: DateTransform.defaultPatterns, from: nil, to: nil)
    #expect(try transform.apply("01.02.2024 14:30") == "2024-02-01 14:30:00")
    #expect(try transform.apply("2024-02-01") == "2024-02-01 00:00:00")
    #expect(try transform.apply(" 01.02.2024 ") == "2024-02-01 00:00:00")
}

@Test func dateConvertsBetweenZones() throws {
    let patterns = [try DatePattern("dd.MM.yyyy HH:mm")]
    let utcToMoscow = DateTransform(patterns: patterns, from: TimeZoneSetting("UTC"), to: TimeZoneSetting("+03:00"))
    #expect(try utcToMoscow.apply("31.12.2023 22:30") == "2024-01-01 01:30:00")
    let named = DateTransform(
        patterns: patterns, from: TimeZoneSetting("Asia/Yekaterinburg"), to: TimeZoneSetting("Europe/Moscow"))
    #expect(try named.apply("01.03.2024 00:30") == "2024-02-29 22:30:00")
}

@Test func badDateFormatsAreExplained() {
    #expect {
        try DatePattern("dd.MM.yyyy hh:mm")
    } throws: { error in
        (error as? TransformFailure)?.message.contains("«hh» is not understood") == true
    }
    #expect(throws: TransformFailure.self) { try DatePattern("HH:mm") }
}

@Test(arguments: ["+03:00", "+0300", "+3", "UTC+3", "GMT+03:00"])
func fixedOffsetsParse(text: String) {
    #expect(TimeZoneSetting(text) == .fixed(seconds: 10_800))
}

@Test func epochRoundTrips() {
    for seconds in stride(from: -86_400 * 400, to: 86_400 * 40_000, by: 86_400 * 37 + 3_601) {
        #expect(LocalDateTime(secondsSinceEpoch: seconds).secondsSinceEpoch == seconds)
    }
    #expect(LocalDateTime(year: 2024, month: 2, day: 1).secondsSinceEpoch == 1_706_745_600)
}

@Test(arguments: [
    ("2024-04-17T19:01:35Z", "2024-04-17 19:01:35"),
    ("2024-04-17T19:01:35.123Z", "2024-04-17 19:01:35"),
    ("2024-04-17T19:01:35,5+03:00", "2024-04-17 19:01:35"),
    ("2024-04-17T19:01:35.123456+0300", "2024-04-17 19:01:35"),
    ("2024-04-17T19:01:35-05", "2024-04-17 19:01:35"),
    ("2024-04-17T19:01:35", "2024-04-17 19:01:35"),
    ("2024-04-17T19:01Z", "2024-04-17 19:01:00"),
])
func theDefaultDateReadsISO8601(input: String, expected: String) throws {
    let transform = DateTransform(patterns: DateTransform.defaultPatterns, from: nil, to: nil)
    #expect(try transform.apply(input) == expected)
}

@Test(arguments: ["2024-04-17T19:01:35+3", "2024-04-17T19:01:35.Z", "2024-04-17T19:01:35+03:0", "2024-04-17T25:01:35Z"])
func brokenISO8601IsRefused(input: String) {
    let transform = DateTransform(patterns: DateTransform.defaultPatterns, from: nil, to: nil)
    #expect(throws: TransformFailure.self) { try transform.apply(input) }
}

@Test func anISOOffsetIsConvertedToTheAccountsZone() throws {
    let transform = DateTransform(
        patterns: DateTransform.defaultPatterns, from: TimeZoneSetting("Asia/Yekaterinburg"),
        to: TimeZoneSetting("Europe/Moscow"))
    // The value's own offset wins over the file's zone.
    #expect(try transform.apply("2024-04-17T19:01:35Z") == "2024-04-17 22:01:35")
    #expect(try transform.apply("2024-12-31T23:30:00-01:00") == "2025-01-01 03:30:00")
    #expect(try transform.apply("17.04.2024 19:01") == "2024-04-17 17:01:00")
}
