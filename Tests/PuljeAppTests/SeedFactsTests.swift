import Foundation
import PuljeDomain
import PuljeHTML
import Testing

@testable import PuljeApp

/// The catalogue as printed in the 2022 allocation (seed 004), each fact of issue 8 as an assertion on the
/// bundled data file, so that a later transcription cannot drift back.
@Suite struct SeedFactsTests {
    static let initiatives: [String: Initiative] = {
        let list = try! CatalogueFile.load().domainInitiatives()
        return Dictionary(uniqueKeysWithValues: list.map { ($0.number.description, $0) })
    }()

    static func initiative(_ number: String) -> Initiative { initiatives[number]! }

    static func texts(_ i: Initiative) -> [String] {
        [
            i.title, i.grantRecipients, i.purpose, i.background, i.targetGroup, i.expectedResults, i.activities,
            i.successCriteria, i.implementationNote, i.applicationPoolCriteria,
        ] + i.timeline.flatMap(\.activities) + i.facts.notes + [i.facts.origin] + i.facts.partners
    }

    @Test func theModelOf16IsAListOfItsStepsNotAnEnglishCaption() {
        let activities = Self.initiative("1.6").activities
        #expect(!activities.contains("diagram"))
        for step in [
            "Koordinering", "Opsporing og kontakt",
            "Afdækning af borgerens situation og etablering af sikkerhedsplan", "Samtaleforløb i grupper",
            "Opfølgning og afslutning",
        ] {
            #expect(activities.contains("• " + step), "1.6 lacks the step \(step)")
        }
    }

    @Test func targetGroupsAndExpectedResultsAreWhereTheSeedHasThem() {
        let jobs = Self.initiative("1.11")
        #expect(jobs.targetGroup.hasPrefix("Målgruppen for indsatsen er udsatte ledige"))
        #expect(!jobs.activities.contains("Målgruppe"))
        #expect(Self.initiative("1.5").expectedResults.hasPrefix("Hvis indsatsen virker"))
        #expect(Self.initiative("1.5").expectedResults.contains("foregribe eksklusion"))
    }

    @Test func screeningsSpendOnKnowledgeDevelopmentAsTheSeedNamesIt() {
        for (number, kroner) in [("1.4", 800_000), ("1.9", 1_100_000)] {
            let budget = Self.initiative(number).budget
            #expect(budget.byCategory[.knowledgeDevelopment] == Money(kroner: Int64(kroner)))
            #expect(budget.byCategory[.implementationSupport] == nil)
            #expect(Self.initiative(number).facts.notes.contains { $0.hasPrefix("Spor 2 gælder en eventuel") })
        }
        #expect(BudgetCategory.knowledgeDevelopment.danishName == "Vidensudviklende aktiviteter")
    }

    @Test func theExtensionRuleOf18IsThere() {
        let note = Self.initiative("1.8").implementationNote
        #expect(note.contains("vurderer UIP's faglige styregruppe"))
        #expect(note.contains("forlængelse af projektperioden"))
        #expect(!Self.initiative("1.8").applicationPoolCriteria.contains("ctørrelse"))
        #expect(Self.initiative("1.8").applicationPoolCriteria.contains("målgruppestørrelse"))
    }

    /// One policy: obvious typing errors are corrected everywhere and listed for staff; none survives.
    @Test func typingErrorsAreCorrectedEverywhereAndListed() {
        let typos = [
            "ambulat ", "mistriksel", "velbegrunderet", "pakked ", "pakkelsninger", "Fleere", "ud- fordringer",
            "pakke- løsning", "målgrupppe", "tidafgrænset", "tryk og udviklende", "og –leverancer",
        ]
        for (number, initiative) in Self.initiatives {
            for text in Self.texts(initiative) {
                for typo in typos { #expect(!text.contains(typo), "\(number) still has \(typo)") }
                // Words split by the PDF's hyphenation ("ud- fordringer"); "social- og", "familie- og/eller"
                // and "social- som" are Danish and stay.
                let split = text.replacingOccurrences(
                    of: #"- (og|eller|som) "#, with: " ", options: .regularExpression
                ).replacingOccurrences(of: "- og/eller ", with: " ")
                #expect(split.range(of: #"[a-zæøå]- [a-zæøå]"#, options: .regularExpression) == nil, "\(number)")
            }
        }
        #expect(Self.initiative("1.7").title.contains("ambulant stofmisbrugsbehandling"))
        #expect(Self.initiative("1.7").facts.corrections.contains { $0.contains("»ambulant«") })
        #expect(Self.initiative("1.8").facts.corrections.contains { $0.contains("»mistrivsel«") })
    }

    @Test func listsAreStoredAndShownAsLists() {
        let pool = Self.initiative("1.2").applicationPoolCriteria
        #expect(pool.contains("\n• Beskrive projektets organisering"))
        #expect(!pool.contains(". - "))
        #expect(Self.initiative("1.3").activities.contains("\n• Fritidsvejledning"))
        #expect(Self.initiative("1.5").activities.contains("klasse-forløbene.\n\nBegge spor"))
        let screening = prose(Self.initiative("1.4").activities).html
        #expect(screening.contains("<ol><li>Lovende praksis i danske kommuner</li>"))
        for (number, initiative) in Self.initiatives {
            for text in Self.texts(initiative) {
                #expect(text.range(of: #"\. - [A-ZÆØÅ]"#, options: .regularExpression) == nil, "\(number)")
                #expect(text.range(of: #" \d\. [A-ZÆØÅ].* \d\. [A-ZÆØÅ]"#, options: .regularExpression) == nil)
            }
        }
    }

    @Test func rangesTakeOneDash() {
        for (number, initiative) in Self.initiatives {
            for text in Self.texts(initiative) {
                #expect(text.range(of: #"\d-\d"#, options: .regularExpression) == nil, "\(number): \(text.prefix(60))")
            }
        }
        #expect(Self.initiative("1.5").activities.contains("4–5 kommuner"))
    }

    @Test func whatAReaderWantsIsStated() {
        let sought = Self.initiatives.mapValues(\.facts.municipalitiesSought)
        #expect(sought["1.2"] == "4–5" && sought["1.6"] == "3–4" && sought["1.8"] == "6–7" && sought["1.11"] == "10–12")
        // Every initiative with a pool for municipalities says how many it seeks.
        for (number, initiative) in Self.initiatives where initiative.budget.byCategory[.applicationPool] != nil {
            #expect(!initiative.facts.municipalitiesSought.isEmpty, "\(number)")
        }
        #expect(Self.initiatives.values.allSatisfy { $0.facts.durationYears != nil })
        #expect(Self.initiative("1.5").facts.partners.contains("Styrelsen for Undervisning og Kvalitet"))
        #expect(Self.initiative("1.11").facts.partners.contains { $0.contains("STAR") })
        #expect(Self.initiative("1.6").facts.origin.contains("2019"))
        #expect(Self.initiative("1.8").facts.origin.contains("Gruppebaseret bostøtteforløb"))
        #expect(Self.initiative("1.2").facts.notes.contains { $0.contains("nævner ikke kommuner") })
        #expect(Self.initiative("1.2").grantRecipients == "Socialstyrelsen og eventuelt leverandører")
    }

    /// The user-visible text of the seeded catalogue and calls holds no English sentence.
    @Test func noEnglishInTheSeeds() {
        let english = ["the", "and", "of", "with", "this", "which", "illustrates", "labeled", "process"]
        /// Names of methods in parentheses, such as "(Acceptance and Commitment Therapy)", are names, not prose.
        func check(_ text: String, _ place: String) {
            let prose = text.replacingOccurrences(of: #"\([^)]*\)"#, with: " ", options: .regularExpression)
            let words = Set(prose.lowercased().split { !$0.isLetter }.map(String.init))
            for word in english { #expect(!words.contains(word), "\(place) has the English word '\(word)'") }
        }
        for (number, initiative) in Self.initiatives {
            for text in Self.texts(initiative) { check(text, number) }
        }
        for seed in CallSeeds.realCalls {
            check(seed.title + " " + seed.summary + " " + seed.targetGroup, seed.title)
            let rules = seed.rules
            for question in rules.questions { check(question.text + " " + question.guidance, seed.title) }
            for criterion in rules.criteria { check(criterion.name + " " + criterion.description, seed.title) }
        }
        for kind in LetterKind.allCases { check(kind.defaultTemplate, kind.rawValue) }
    }
}
