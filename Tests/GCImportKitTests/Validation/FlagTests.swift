import Testing

@testable import GCImportKit

/// 0/1 flags: the words users write, in any case, and nothing else.
@Suite struct FlagTests {
    @Test(arguments: [
        ("1", "1"), ("0", "0"), ("да", "1"), ("Да", "1"), ("ДА", "1"), ("нет", "0"), ("Нет", "0"), ("НЕТ", "0"),
        ("yes", "1"), ("YES", "1"), ("True", "1"), ("FALSE", "0"), ("y", "1"), ("N", "0"),
    ])
    func flagWordsInAnyCase(cell: String, flag: String) {
        #expect(FieldValidator.flagNumber(cell) == flag)
    }

    @Test(arguments: ["", "2", "может", "yes!", " yes", "ДАА", "Ёж", "ｙｅｓ", "yes, please do", "дa"])
    func otherCellsAreNoFlag(cell: String) {
        // "дa" mixes a Cyrillic д with a Latin a; "ｙｅｓ" is full-width and takes the Unicode path.
        #expect(FieldValidator.flagNumber(cell) == nil)
    }
}
