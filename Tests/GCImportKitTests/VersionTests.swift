import GCImportKit
import Testing

@Test func versionIsSemantic() {
    #expect(GCImportVersion.current.split(separator: ".").count == 3)
}
