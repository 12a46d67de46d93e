import Testing

@testable import GCImportKit

@Suite struct ImportTargetTests {
    @Test func accountBecomesGetCourseHost() throws {
        #expect(try ImportTarget.account("school").baseURL == "https://school.getcourse.ru")
        #expect(try ImportTarget.account("School.getcourse.ru").baseURL == "https://school.getcourse.ru")
        #expect(try ImportTarget.account("school").url(for: .deal) == "https://school.getcourse.ru/pl/api/deals")
        #expect(try ImportTarget.account("school.getcourse.io").baseURL == "https://school.getcourse.io")
        #expect(try ImportTarget.account("https://School.GetCourse.io/").baseURL == "https://school.getcourse.io")
        #expect(
            try ImportTarget.account("school.getcourse.io").url(for: .user)
                == "https://school.getcourse.io/pl/api/users")
        #expect(throws: ImportTargetError.self) { try ImportTarget.account("school.example.com") }
        #expect(throws: ImportTargetError.self) { try ImportTarget.account("") }
    }

    @Test func endpointKeepsTheSiteRootAndDropsTheAPIPath() throws {
        #expect(try ImportTarget.endpoint("https://School.example.com/").baseURL == "https://school.example.com")
        #expect(
            try ImportTarget.endpoint("https://school.example.com/pl/api/users").baseURL == "https://school.example.com"
        )
        #expect(try ImportTarget.endpoint("http://127.0.0.1:8080").baseURL == "http://127.0.0.1:8080")
        #expect(try ImportTarget.endpoint("http://localhost:9/").url(for: .user) == "http://localhost:9/pl/api/users")
    }

    @Test func plainHTTPIsRefusedOffLoopback() {
        #expect(throws: ImportTargetError.plainHTTP("http://school.example.com")) {
            try ImportTarget.endpoint("http://school.example.com")
        }
        #expect(throws: ImportTargetError.self) { try ImportTarget.endpoint("ftp://x.example.com") }
        #expect(throws: ImportTargetError.self) { try ImportTarget.endpoint("school.example.com") }
        #expect(throws: ImportTargetError.self) { try ImportTarget.endpoint("https://u:p@school.example.com") }
    }
}
