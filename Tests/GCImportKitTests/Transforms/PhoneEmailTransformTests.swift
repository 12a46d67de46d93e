import Testing

@testable import GCImportKit

@Test(arguments: [
    ("+7 (900) 123-45-67", "+79001234567"),
    ("8 900 123 45 67", "+79001234567"),
    ("89001234567", "+79001234567"),
    ("79001234567", "+79001234567"),
    ("9001234567", "+79001234567"),
    ("+375 29 123-45-67", "+375291234567"),
    ("+44 20 7946 0958", "+442079460958"),
    ("\u{A0}+7\u{A0}900\u{A0}1234567", "+79001234567"),
])
func phoneNormalisesToPlusAndDigits(input: String, expected: String) throws {
    #expect(try PhoneTransform.normalise(input) == expected)
}

@Test(arguments: [
    ("нет телефона", "only digits"),
    ("12345", "too short"),
    ("+7 900 123 45 67 доб. 12", "only digits"),
    ("0123456789", "country code"),
    ("+1234567890123456", "too long"),
    ("7+9001234567", "«+» may only start it"),
])
func phoneRejectsJunk(input: String, fragment: String) {
    #expect {
        try PhoneTransform.normalise(input)
    } throws: { error in
        (error as? TransformFailure)?.message.contains(fragment) == true
    }
}

@Test(arguments: [
    (" Ivan.Petrov@Mail.RU ", "ivan.petrov@mail.ru"),
    ("anna+school@yandex.ru", "anna+school@yandex.ru"),
    ("user@почта.рф", "user@почта.рф"),
    ("o'brien@example.co.uk", "o'brien@example.co.uk"),
])
func emailNormalises(input: String, expected: String) throws {
    #expect(try EmailTransform.normalise(input) == expected)
}

@Test(arguments: [
    ("ivan.mail.ru", "no «@»"),
    ("ivan@@mail.ru", "more than one «@»"),
    ("@mail.ru", "nothing before «@»"),
    ("ivan@", "no domain"),
    ("ivan@mail", "has no «.»"),
    ("ivan@mail.", "misplaced «.» in the domain"),
    ("ivan@-mail.ru", "starts or ends with «-»"),
    ("iv an@mail.ru", "spaces"),
    ("иван@mail.ru", "non-Latin"),
    (".ivan@mail.ru", "misplaced «.» before"),
    ("iv..an@mail.ru", "misplaced «.» before"),
    ("ivan@mail.r", "must end in a name"),
    ("ivan@mail.123", "must end in a name"),
    ("ivan@ma_il.ru", "only letters, digits"),
    ("iv,an@mail.ru", "«,» is not allowed"),
])
func emailRejectsBadSyntax(input: String, fragment: String) {
    #expect {
        try EmailTransform.normalise(input)
    } throws: { error in
        (error as? TransformFailure)?.message.contains(fragment) == true
    }
}
