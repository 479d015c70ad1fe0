/// The five Danish regions with their official codes.
public struct Region: Hashable, Sendable {
    public let code: Int
    public let name: String
}

/// A Danish municipality with its official three-digit code and its region.
public struct Municipality: Hashable, Sendable {
    public let code: Int
    public let name: String
    public let regionCode: Int

    /// Three digits, as the codes are written: "101", "147".
    public var codeText: String { String(code) }
}

public enum DanishReference {
    public static let regions: [Region] = [
        Region(code: 1081, name: "Region Nordjylland"),
        Region(code: 1082, name: "Region Midtjylland"),
        Region(code: 1083, name: "Region Syddanmark"),
        Region(code: 1084, name: "Region Hovedstaden"),
        Region(code: 1085, name: "Region Sjælland"),
    ]

    /// The 98 municipalities (Christiansø, code 411, is not a municipality and is left out).
    public static let municipalities: [Municipality] = {
        let hovedstaden: [(Int, String)] = [
            (101, "København"), (147, "Frederiksberg"), (151, "Ballerup"), (153, "Brøndby"), (155, "Dragør"),
            (157, "Gentofte"), (159, "Gladsaxe"), (161, "Glostrup"), (163, "Herlev"), (165, "Albertslund"),
            (167, "Hvidovre"), (169, "Høje-Taastrup"), (173, "Lyngby-Taarbæk"), (175, "Rødovre"), (183, "Ishøj"),
            (185, "Tårnby"), (187, "Vallensbæk"), (190, "Furesø"), (201, "Allerød"), (210, "Fredensborg"),
            (217, "Helsingør"), (219, "Hillerød"), (223, "Hørsholm"), (230, "Rudersdal"), (240, "Egedal"),
            (250, "Frederikssund"), (260, "Halsnæs"), (270, "Gribskov"), (400, "Bornholm"),
        ]
        let sjaelland: [(Int, String)] = [
            (253, "Greve"), (259, "Køge"), (265, "Roskilde"), (269, "Solrød"), (306, "Odsherred"),
            (316, "Holbæk"), (320, "Faxe"), (326, "Kalundborg"), (329, "Ringsted"), (330, "Slagelse"),
            (336, "Stevns"), (340, "Sorø"), (350, "Lejre"), (360, "Lolland"), (370, "Næstved"),
            (376, "Guldborgsund"), (390, "Vordingborg"),
        ]
        let syddanmark: [(Int, String)] = [
            (410, "Middelfart"), (420, "Assens"), (430, "Faaborg-Midtfyn"), (440, "Kerteminde"), (450, "Nyborg"),
            (461, "Odense"), (479, "Svendborg"), (480, "Nordfyns"), (482, "Langeland"), (492, "Ærø"),
            (510, "Haderslev"), (530, "Billund"), (540, "Sønderborg"), (550, "Tønder"), (561, "Esbjerg"),
            (563, "Fanø"), (573, "Varde"), (575, "Vejen"), (580, "Aabenraa"), (607, "Fredericia"),
            (621, "Kolding"), (630, "Vejle"),
        ]
        let midtjylland: [(Int, String)] = [
            (615, "Horsens"), (657, "Herning"), (661, "Holstebro"), (665, "Lemvig"), (671, "Struer"),
            (706, "Syddjurs"), (707, "Norddjurs"), (710, "Favrskov"), (727, "Odder"), (730, "Randers"),
            (740, "Silkeborg"), (741, "Samsø"), (746, "Skanderborg"), (751, "Aarhus"), (756, "Ikast-Brande"),
            (760, "Ringkøbing-Skjern"), (766, "Hedensted"), (779, "Skive"), (791, "Viborg"),
        ]
        let nordjylland: [(Int, String)] = [
            (773, "Morsø"), (787, "Thisted"), (810, "Brønderslev"), (813, "Frederikshavn"), (820, "Vesthimmerlands"),
            (825, "Læsø"), (840, "Rebild"), (846, "Mariagerfjord"), (849, "Jammerbugt"), (851, "Aalborg"),
            (860, "Hjørring"),
        ]
        let byRegion: [(Int, [(Int, String)])] = [
            (1084, hovedstaden), (1085, sjaelland), (1083, syddanmark), (1082, midtjylland), (1081, nordjylland),
        ]
        return byRegion.flatMap { region, list in
            list.map { Municipality(code: $0.0, name: $0.1 + " Kommune", regionCode: region) }
        }.sorted { $0.code < $1.code }
    }()

    public static func region(code: Int) -> Region? { regions.first { $0.code == code } }
}
