import Testing

@testable import GCImportKit

@Test func versionIsSemantic() {
    #expect(GCImportVersion.current.split(separator: ".").count == 3)
}
