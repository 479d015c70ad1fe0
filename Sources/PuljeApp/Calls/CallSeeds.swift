import Fluent
import Foundation
import PuljeDomain
import Vapor

/// The calls of the seed documents, loaded as published calls whose deadlines have passed, and two
/// open demo calls whose deadlines lie ahead of the moment the demo starts.
enum CallSeeds {
    struct Seed {
        var title: String
        var summary: String
        var targetGroup: String
        var initiativeNumber: String?
        var rules: CallRules
    }

    static let handicap = TargetArea(code: "handicap", name: "Handicapområdet")
    static let psychiatry = TargetArea(code: "socialpsykiatri", name: "Socialpsykiatrien")
    static let vulnerable = TargetArea(code: "udsatte", name: "Udsatteområdet")

    /// An area the selected municipalities must cover together: at least one selected application in it
    /// (000 and 001: "dækker både … og …").
    static func covered(_ area: TargetArea) -> TargetArea {
        TargetArea(code: area.code, name: area.name, minimumSelected: 1)
    }

    /// "Ansøgningsskema udfyldes og fremsendes … sammen med relevante bilag" (001, 003): optional files.
    static let relevantAttachments = AttachmentKind(id: "bilag", name: "Relevante bilag")

    static func question(_ criterion: AwardCriterion, maxLength: Int = 5000) -> FormQuestion {
        FormQuestion(
            id: criterion.id, text: criterion.name, guidance: criterion.description, required: true,
            maxLength: maxLength, criterionID: criterion.id)
    }

    /// The guide for the health intervention on residential facilities (000).
    static let healthOnResidentialFacilities: Seed = {
        let criteria = [
            AwardCriterion(
                id: "maalgruppe", name: "Målgruppe",
                description:
                    "Beskriv, hvilken af de to målgrupper I ønsker at arbejde med, og hvilke lokale botilbud der indgår. Angiv, hvor mange borgere der er tilknyttet de involverede tilbud."
            ),
            AwardCriterion(
                id: "motivation", name: "Kommunens motivation",
                description:
                    "Beskriv nuværende udfordringer og styrker i forhold til at arbejde med sundhedsindsatser på botilbud i samarbejde med sundhedsområdet i kommunen. Redegør kort for nuværende praksis og forventninger til, hvad deltagelse i projektet kan bibringe."
            ),
            AwardCriterion(
                id: "parathed", name: "Kommunens parathed",
                description:
                    "Beskriv, hvordan ledelsen på forvaltnings- og botilbudsniveau forpligter sig til at indgå i projektets arbejde og modtage Social- og Boligstyrelsens implementerings- og processtøtte, herunder organiseringen af projektet hos jer."
            ),
        ]
        return Seed(
            title:
                "Deltagelse i udvikling af helhedsorienteret sundhedsindsats til borgere med handicap og/eller psykiske vanskeligheder",
            summary:
                "Social- og Boligstyrelsen søger 3–4 kommuner, der sammen med 1–2 kommunale botilbud vil udvikle og afprøve en helhedsorienteret sundhedsindsats til borgere med handicap og/eller psykiske vanskeligheder. Formålet er at styrke fagprofessionelle på botilbud i at identificere og opspore sundhedsrelaterede problemstillinger og at understøtte et tværfagligt fokus på borgernes sundhed i dagligdagen. Kommunerne modtager proces- og implementeringsstøtte og kompetenceudvikling (to tværkommunale dage og fire lokale dage). VIVE evaluerer. Ved udvælgelsen vægtes det, at kommunerne tilsammen dækker både handicapområdet og socialpsykiatrien.",
            targetGroup:
                "Voksne med handicap og/eller psykiske vanskeligheder, som bor på botilbud efter §§ 107 og 108 i serviceloven og § 105 i almenboligloven med § 85-støtte efter serviceloven, samt ledere og fagprofessionelle på botilbuddene og i forvaltningen.",
            rules: CallRules(
                applicantKinds: [.municipality],
                legalBases: ["SEL § 107", "SEL § 108", "ABL § 105 med støtte efter SEL § 85"],
                targetAreas: [covered(handicap), covered(psychiatry)], municipalitiesSought: 3...4,
                projectStart: "2024-01-01",
                projectEnd: "2026-12-31",
                deadline: Deadline(year: 2023, month: 12, day: 7, hour: 12, minute: 0),
                answerExpected: .week(ISOWeek(year: 2023, week: 51)!),
                startUpMeeting:
                    "Obligatorisk opstartsmøde for projektkommunerne, forventeligt i marts 2024. Som minimum deltager leder, projektleder og andre relevante medlemmer af implementeringsteamet.",
                contacts: [ContactPerson(name: "Line Zimmer Rasmussen", role: "Projektleder", email: "lizi@sbst.dk")],
                documents: [
                    CallDocument(
                        title: "Vejledning og ansøgningsskema",
                        url:
                            "https://sbst.dk/projekter-og-initiativer/handicap/helhedsorienteret-sundhedsindsats-til-borgere-med-handicap-ogeller-psykiske-vanskeligheder-"
                    )
                ],
                minimumConditions: [
                    MinimumCondition(
                        id: "projektleder",
                        text:
                            "Vi udpeger en projektleder, der er bindeled til Social- og Boligstyrelsen, og beskriver projektets forankring i ledelsen på botilbud og i forvaltningen."
                    ),
                    MinimumCondition(
                        id: "implementeringsteam",
                        text:
                            "Vi etablerer et implementeringsteam med som minimum projektansvarlig chef, relevante lokale ledere, projektleder, repræsentanter fra både det socialfaglige og det sundhedsfaglige område samt en medarbejderrepræsentant."
                    ),
                    MinimumCondition(
                        id: "godkendelse",
                        text:
                            "Deltagelsen er godkendt på relevant direktionsniveau eller tilsvarende, og vi afsætter de nødvendige ressourcer til implementerings- og modningsarbejdet."
                    ),
                    MinimumCondition(
                        id: "projektorganisation",
                        text: "Vi etablerer en projektorganisation, fx med en styregruppe, der understøtter projektet."),
                    MinimumCondition(
                        id: "faelles-beslutninger",
                        text:
                            "Vi er indforstået med, at der i det samlede projekt kan træffes fælles beslutninger om, hvordan vi arbejder med den fælles indsats, og vi arbejder tæt og forpligtende sammen med Social- og Boligstyrelsen, evaluator og de øvrige projektkommuner."
                    ),
                    MinimumCondition(
                        id: "data",
                        text: "Vi leverer data efter VIVEs anvisninger og i det format, VIVE giver."),
                ],
                criteria: criteria, questions: criteria.map { question($0) }))
    }()

    /// The partnership "Borgeren ved roret" (001).
    static let citizenAtTheHelm: Seed = {
        let criteria = [
            AwardCriterion(
                id: "motivation", name: "Kommunens motivation",
                description:
                    "Beskriv nuværende udfordringer og styrker i forhold til at arbejde med recovery-orienteret rehabilitering, og redegør kort for nuværende praksis og forventninger til, hvad deltagelse i partnerskabet kan bibringe.",
                guidePriority:
                    "Kommuner, som allerede har gjort sig erfaringer med recovery-orienteret rehabilitering, hvilket afspejles i kommunens anvendelse af recovery-understøttende metoder, samarbejdspraksis med borgerne i kommunen mv., vil blive prioriteret. Kommuner, der vurderes at have realistiske målsætninger, vil blive prioriteret."
            ),
            AwardCriterion(
                id: "parathed", name: "Kommunens parathed",
                description:
                    "Beskriv, hvordan det politiske niveau og ledelsen forpligter sig til partnerskabets arbejde og til at modtage processtøtte og kompetenceudvikling, herunder organiseringen af den lokale udviklingsproces.",
                guidePriority:
                    "Kommuner, hvor både politikere, ledere og medarbejdere har været informeret og involveret i beslutningen, vil blive prioriteret."
            ),
            AwardCriterion(
                id: "maalgruppe", name: "Kommunens målgruppe",
                description:
                    "Beskriv, hvilken af de to målgrupper I vil arbejde med og gennem hvilke lokale tilbud, og angiv, hvor mange borgere der er tilknyttet tilbuddene. Det er muligt at arbejde med begge målgrupper.",
                guidePriority:
                    "Kommuner, hvor tilbud med større grupper af borgere er tilknyttet (sammenholdt med kommunens størrelse), vil blive prioriteret."
            ),
        ]
        return Seed(
            title: "Partnerskab om Borgeren ved roret – en recovery-orienteret rehabiliterende tilgang",
            summary:
                "Social- og Boligstyrelsen etablerer et partnerskab med 4–5 kommuner, VIVE og en kompetenceleverandør om at udvikle en recovery-orienteret rehabiliterende tilgang på handicap- og udsatteområdet med afsæt i otte retningsgivende principper. Partnerskabskommunerne får processtøtte og kompetenceudvikling og deltager i læringsloops, partnerskabsmøder og dataindsamling. Ansøgningen vurderes på kommunens motivation, parathed og plan for langsigtet forankring af Borgeren ved roret. Ved udvælgelsen vægtes det, at partnerskabet dækker både handicap- og udsatteområdet.",
            targetGroup:
                "Voksne med handicap og/eller voksne i social udsathed, der modtager tilbud efter serviceloven §§ 85, 101, 107, 108, 109 og/eller 110.",
            rules: CallRules(
                applicantKinds: [.municipality],
                legalBases: ["SEL § 85", "SEL § 101", "SEL § 107", "SEL § 108", "SEL § 109", "SEL § 110"],
                targetAreas: [covered(handicap), covered(vulnerable)], municipalitiesSought: 4...5,
                projectStart: "2024-01-01",
                projectEnd: "2026-12-31",
                deadline: Deadline(year: 2023, month: 12, day: 1, hour: 12, minute: 0),
                answerExpected: .week(ISOWeek(year: 2023, week: 51)!),
                startUpMeeting:
                    "Obligatorisk opstartsmøde i partnerskabet med fysisk fremmøde, forventeligt i marts 2024. Som minimum deltager leder, projektleder og andre relevante medlemmer af projektgruppen.",
                contacts: [ContactPerson(name: "Helle Nyhuus", role: "Projektleder", email: "heny@sbst.dk")],
                minimumConditions: [
                    MinimumCondition(
                        id: "direktoerunderskrift",
                        text:
                            "Kommunen forpligter sig ved direktørunderskrift på ansøgningen til at afsætte de nødvendige ressourcer til partnerskabsinitiativet."
                    ),
                    MinimumCondition(
                        id: "projektgruppe",
                        text:
                            "Kommunen etablerer en projektgruppe med projektansvarlig chef, lokale ledere, projektleder og repræsentanter for udførerleddet og myndighed."
                    ),
                    MinimumCondition(
                        id: "betinget-stoette",
                        text:
                            "Vi er indforstået med, at processtøtte og kompetenceudvikling er betinget af deltagelse i partnerskabets udviklings-, netværks- og evalueringsopgaver, og at støtten ikke kan modtages uden at bidrage til den tværkommunale udvikling."
                    ),
                ],
                criteria: criteria, questions: criteria.map { question($0) },
                attachmentKinds: [relevantAttachments],
                requiredApproval: "ved direktørunderskrift på ansøgningen"))
    }()

    /// The investment pool for recovery and rehabilitation (002, the information meeting's slides).
    static let investmentPool: Seed = {
        let criteria = [
            AwardCriterion(
                id: "relevans", name: "Relevans",
                description:
                    "At ansøger, formål og målgruppe ligger inden for puljens ansøgerkreds, formål og målgruppe."),
            AwardCriterion(
                id: "indsats", name: "Indsats",
                description:
                    "At ansøger redegør for behovet for støtte til initial- og udviklingsomkostninger ved en strategisk omlægning af socialpsykiatrien, er i gang med at udvikle det rehabiliterende og recovery-orienterede arbejde og bidrager til det koncept, der udvikles."
            ),
            AwardCriterion(
                id: "organisation", name: "Organisation, samarbejde og dokumentation",
                description:
                    "Samarbejde med Socialstyrelsen og den eksterne leverandør, godkendelse på centerchefniveau, en projektleder og et implementeringsteam, og bidrag til dokumentation og evaluering."
            ),
            AwardCriterion(
                id: "sammenhaeng", name: "Sammenhæng",
                description:
                    "Sammenhæng mellem formål, målgruppe, aktiviteter, målsætninger på borgerniveau, tidsplan og organisering."
            ),
            AwardCriterion(
                id: "budget", name: "Budget", description: "Overensstemmelse mellem budget og beskrevne aktiviteter."),
            AwardCriterion(
                id: "forankring", name: "Forankring",
                description: "Hvordan udviklingen og omstillingen videreføres efter tilskudsperiodens ophør."),
        ]
        return Seed(
            title: "Social investeringspulje til recovery og rehabilitering",
            summary:
                "Puljen støtter kommunernes strategiske udvikling og omlægning af indsatsen på socialpsykiatriområdet med fokus på recovery og rehabilitering. Initiativet gennemføres i 2–4 partnerskabskommuner i samarbejde med Socialstyrelsen og PwC, som sammen udvikler og afprøver et samlet koncept. Der blev holdt informationsmøde mandag den 19. august 2019 kl. 15.30–17.00 hos Socialstyrelsen i Odense.",
            targetGroup:
                "Borgere over 18 år med psykiske vanskeligheder, som modtager eller med den rette indsats kan forebygge behovet for ydelser efter serviceloven.",
            rules: CallRules(
                applicantKinds: [.municipality], targetAreas: [psychiatry], municipalitiesSought: 2...4,
                funds: Money(kroner: 13_000_000), financeLawAccount: "§ 15.75.55.10", projectStart: "2020-01-01",
                projectEnd: "2022-09-30",
                deadline: Deadline(year: 2019, month: 9, day: 17, hour: 12, minute: 0),
                answerExpected: .month(year: 2019, month: 12),
                contacts: [
                    ContactPerson(name: "Julie Tang", role: "Tilskudsforvaltning", email: "jult@socialstyrelsen.dk"),
                    ContactPerson(
                        name: "Tilskudsforvaltningen", role: "Tilskudsfaglige og administrative spørgsmål",
                        email: "tilskudsforvaltning@socialstyrelsen.dk",
                        phone: "72 42 41 33 (telefontid kl. 10.00–14.00)"),
                    ContactPerson(
                        name: "Teknisk support", role: "Tekniske spørgsmål om portalen",
                        email: "portal@socialstyrelsen.dk"),
                ],
                documents: [
                    "Bekendtgørelse", "Vejledning", "Bilag 1: Figurer til vejledning", "Kopi af ansøgningsskema",
                    "Kopi af budgetskema", "Regnskabsskema", "Statusrapport",
                ].map { CallDocument(title: $0, url: "") },
                criteria: criteria, questions: criteria.map { question($0) },
                budget: BudgetRules(eligibleCategories: ExpenseCategory.allCases, requiresMonthlySpread: true)))
    }()

    /// Implementation support for the two collaboration models, round 1 of 3 (003).
    static let familyModelsRoundOne: Seed = {
        let criteria = [
            AwardCriterion(
                id: "A", name: "A: Motivation for ansøgningen",
                description:
                    "Nuværende praksis og organisering, hvordan den valgte samarbejdsmodel kan styrke kommunens indsatser, andre projekter eller organisatoriske ændringer, og hvordan implementeringsstøtten kan bidrage til kommunens målsætninger.",
                guidePriority:
                    "Kommuner, der vurderes at have konkrete og realistiske målsætninger for implementeringen, vil blive prioriteret."
            ),
            AwardCriterion(
                id: "B", name: "B: Understøttelse af medarbejdernes arbejde",
                description:
                    "Hvordan medarbejderne understøttes i at omsætte modellens kerneelementer: tid til kompetenceudvikling og intern sparring, og hvilket sagstal pr. rådgiver modellen forudsætter (i modellerne havde rådgiverne ca. 20–25 sager)."
            ),
            AwardCriterion(
                id: "C", name: "C: Fælles mindset",
                description:
                    "Hvordan der i kommunen arbejdes med et helhedsorienteret mindset med afsæt i familiernes ønsker og behov."
            ),
            AwardCriterion(
                id: "D", name: "D: Målgruppe",
                description:
                    "Udfordringerne ved at koordinere indsatser for målgruppen, et skøn over målgruppens størrelse, og hvor mange børn og unge der forventes omfattet."
            ),
            AwardCriterion(
                id: "E", name: "E: Parathed til deltagelse",
                description:
                    "Organiseringen, hvordan ledelsen prioriterer og understøtter implementeringen, og hvordan ledelsen og eventuelt det politiske niveau forpligter sig.",
                guidePriority:
                    "Ansøgere med et stærkt ledelsesmæssigt ophæng og engagement på tværs af relevante fagområder og en plan for langsigtet forankring af samarbejdsmodellen i kommunens drift vil blive prioriteret."
            ),
        ]
        var questions = criteria.map { question($0) }
        questions.insert(
            FormQuestion(
                id: "model", text: "Valgt samarbejdsmodel",
                guidance: "Skriv, om kommunen vil implementere Én familie – én indgang eller Sammen om familien.",
                maxLength: 200), at: 0)
        questions.append(
            FormQuestion(
                id: "sagstal", text: "Planlagt sagstal pr. rådgiver",
                guidance: "Angiv det sagstal pr. rådgiver, I planlægger med, og begrund det.", maxLength: 1000,
                criterionID: "B"))
        questions.append(
            FormQuestion(
                id: "forankring", text: "Langsigtet plan for forankring",
                guidance:
                    "Beskriv, hvordan modellen forankres i kommunens drift, når implementeringsstøtten er slut, og samarbejdet med andre forvaltninger og sektorer.",
                maxLength: 5000, criterionID: "E"))
        return Seed(
            title: "Implementeringsstøtte til Én familie – én indgang og Sammen om familien, runde 1",
            summary:
                "Socialstyrelsen udbreder de to samarbejdsmodeller Én familie – én indgang og Sammen om familien til 20–25 kommuner gennem tre ansøgningsrunder (august 2022, januar 2023 og august 2023). Implementeringsstøtten består af et rådgivningsforløb og kompetenceudvikling over ca. 24 måneder. Vejledningen angiver kun datoen for fristen; Pulje angiver tidspunktet kl. 23.59, så hele dagen kan bruges.",
            targetGroup:
                "Kommuner, der vil skabe større sammenhæng, koordination og fleksibilitet i indsatserne for børn og unge med handicap og deres familier.",
            initiativeNumber: "1.1",
            rules: CallRules(
                applicantKinds: [.municipality],
                targetAreas: [TargetArea(code: "boernehandicap", name: "Børnehandicapområdet")],
                projectStart: "2022-11-01", projectEnd: "2024-10-31", round: 1,
                // "Ansøgningsfristen er den 25. oktober 2022. Efter denne dato…": the whole day can be used.
                deadline: Deadline.endOfDay(year: 2022, month: 10, day: 25),
                answerExpected: .date(year: 2022, month: 11, day: 15),
                startUpMeeting:
                    "Obligatorisk tværkommunalt opstartsmøde den 30. november 2022 i Socialstyrelsen i Odense. Som minimum deltager projektansvarlig chef, projektleder og andre relevante ledere og medarbejdere fra implementeringsteamet.",
                contacts: [
                    ContactPerson(
                        name: "Bedre koordination", role: "Fælles postkasse",
                        email: "bedrekoordination@socialstyrelsen.dk"),
                    ContactPerson(name: "Dorthe Bevensee", role: "Kontaktperson", phone: "61 96 56 03"),
                ],
                minimumConditions: [
                    MinimumCondition(
                        id: "ressourcer",
                        text:
                            "Ved direktørunderskrift (eller tilsvarende ledelsesniveau) og de involverede lederes tilsagn afsætter vi de nødvendige ressourcer til ledere og medarbejdere, herunder deltagelse i obligatorisk kompetenceudvikling."
                    ),
                    MinimumCondition(
                        id: "projektleder", text: "Vi udpeger en projektleder for implementeringsprocessen."),
                    MinimumCondition(
                        id: "implementeringsteam",
                        text:
                            "Vi etablerer et implementeringsteam med minimum projektansvarlig chef, projektleder, øvrige ledere på tværs af relevante fagområder og relevante medarbejdere."
                    ),
                    MinimumCondition(
                        id: "ledelse",
                        text:
                            "Ledelsen er tydelig, engageret og deltagende ved alle relevante møder med Socialstyrelsen."
                    ),
                    MinimumCondition(
                        id: "alle-sager",
                        text:
                            "Vi anvender som udgangspunkt samarbejdsmodellen i alle sager med børn og unge med handicap, hvor der er behov for indsatser på tværs af forvaltninger og sektorer og en høj grad af koordinering."
                    ),
                    MinimumCondition(
                        id: "betinget-stoette",
                        text:
                            "Vi er indforstået med, at implementeringsstøtten består af et rådgivningsforløb og kompetenceudvikling, og at kompetenceudvikling ikke kan modtages uden at indgå i rådgivningsforløbet. Vi udarbejder en implementeringsplan med sparring fra Socialstyrelsen."
                    ),
                ],
                criteria: criteria, questions: questions,
                attachmentKinds: [relevantAttachments],
                requiredApproval: "ved direktørunderskrift (eller tilsvarende ledelsesniveau)"))
    }()

    static let realCalls = [healthOnResidentialFacilities, citizenAtTheHelm, investmentPool, familyModelsRoundOne]

    /// Two open calls for trying the whole flow, with deadlines at 12.00 Danish time some days ahead of `now`.
    static func demoCalls(now: Date) -> [Seed] {
        func noonIn(days: Int) -> Deadline {
            let day = now.addingTimeInterval(Double(days) * 86_400)
            let c = DanishTime.calendar.dateComponents([.year, .month, .day], from: day)
            return Deadline(year: c.year!, month: c.month!, day: c.day!, hour: 12, minute: 0)!
        }
        let year = DanishTime.calendar.component(.year, from: now) + 1
        let criteria = [
            AwardCriterion(
                id: "relevans", name: "Relevans", description: "Projektets relevans for målgruppen og puljens formål.",
                weight: 2, minimumScore: 2),
            AwardCriterion(
                id: "indsats", name: "Indsats", description: "Aktiviteterne og deres sammenhæng.", weight: 3),
            AwardCriterion(
                id: "organisering", name: "Organisering", description: "Projektleder, implementeringsteam og ledelse.",
                weight: 2),
            AwardCriterion(
                id: "budget", name: "Budget", description: "Sammenhæng mellem budget og aktiviteter.", weight: 1),
        ]
        let pool = Seed(
            title: "Demo: Ansøgningspulje til modning af tidlig opsporing i skolen",
            summary:
                "Demonstrationspulje i Pulje. Kommuner kan søge tilskud til at modne en model for tidlig opsporing og handleveje for skolebørn sammen med 4–5 andre kommuner (initiativ 1.2).",
            targetGroup: "Børn og unge i grundskolens 0.–10. klasse med begyndende tegn på mistrivsel.",
            initiativeNumber: "1.2",
            rules: CallRules(
                applicantKinds: [.municipality], legalBases: ["SEL § 11"],
                targetAreas: [
                    TargetArea(code: "skole", name: "Skoleområdet"), TargetArea(code: "myndighed", name: "Myndighed"),
                ],
                municipalitiesSought: 4...5, funds: Money(kroner: 10_500_000), financeLawAccount: "§ 15.75.55.10",
                projectStart: "\(year)-01-01", projectEnd: "\(year + 2)-12-31", round: nil,
                opensAt: now.addingTimeInterval(-86_400), deadline: noonIn(days: 14),
                answerExpected: .week(ISOWeek(containing: now.addingTimeInterval(35 * 86_400))),
                startUpMeeting: "Obligatorisk opstartsmøde i januar \(year) for projektleder og projektansvarlig chef.",
                contacts: [
                    ContactPerson(
                        name: "Frederik Fagkonsulent", role: "Fagkonsulent", email: "fagkonsulent@styrelsen.demo")
                ],
                minimumConditions: [
                    MinimumCondition(
                        id: "projektleder", text: "Vi udpeger en projektleder og etablerer et implementeringsteam."),
                    MinimumCondition(id: "chefniveau", text: "Projektsamarbejdet er godkendt på relevant chefniveau."),
                ],
                criteria: criteria, questions: criteria.map { question($0, maxLength: 3000) },
                budget: BudgetRules(
                    eligibleCategories: [.salaries, .consultancy, .training, .travel, .meetings, .materials],
                    maximumTotal: Money(kroner: 2_500_000), maximumPerYear: Money(kroner: 1_000_000),
                    requiresMonthlySpread: true),
                attachmentKinds: [
                    AttachmentKind(id: "underskrift", name: "Underskrevet ledelseserklæring", required: false)
                ]))
        let support = Seed(
            title: "Demo: Implementeringsstøtte til Én familie – én indgang og Sammen om familien, runde 4",
            summary:
                "Demonstrationsrunde i Pulje med kort frist: implementeringsstøtte i form af rådgivning og kompetenceudvikling.",
            targetGroup:
                "Kommuner, der vil styrke koordinationen af indsatser for børn og unge med handicap og deres familier.",
            initiativeNumber: "1.1",
            rules: CallRules(
                applicantKinds: [.municipality],
                targetAreas: [TargetArea(code: "boernehandicap", name: "Børnehandicapområdet")],
                municipalitiesSought: 5...8, projectStart: "\(year)-01-01", projectEnd: "\(year + 1)-12-31", round: 4,
                opensAt: now.addingTimeInterval(-86_400), deadline: noonIn(days: 3),
                answerExpected: .week(ISOWeek(containing: now.addingTimeInterval(21 * 86_400))),
                startUpMeeting: "Obligatorisk tværkommunalt opstartsmøde i Odense.",
                contacts: [ContactPerson(name: "Frederik Fagkonsulent", email: "fagkonsulent@styrelsen.demo")],
                minimumConditions: familyModelsRoundOne.rules.minimumConditions,
                criteria: familyModelsRoundOne.rules.criteria, questions: familyModelsRoundOne.rules.questions,
                requiredApproval: familyModelsRoundOne.rules.requiredApproval))
        return [pool, support]
    }

    /// Adds the calls that are not there yet (by title); never changes an existing call.
    static func load(_ seeds: [Seed], on db: any Database, now: Date) async throws {
        let existing = Set(try await CallRecord.query(on: db).all().map(\.title))
        for seed in seeds where !existing.contains(seed.title) {
            try await db.transaction { db in
                let call = CallRecord()
                call.title = seed.title
                call.summary = seed.summary
                call.targetGroup = seed.targetGroup
                call.initiativeNumber = seed.initiativeNumber
                call.status = CallStatus.published.rawValue
                call.version = 1
                call.publishedAt = seed.rules.opensAt ?? now
                try call.setRules(seed.rules)
                try await call.create(on: db)
                try await CallVersionRecord(call: call).create(on: db)
            }
        }
    }
}
