import Foundation
import PuljeDomain
import PuljeHTML

/// The messages of a case, as a section of its page.
enum MessagesSection {
    /// The thread as the reader may see it: the agency's messages in the agency's name for anyone outside it.
    static func view(
        _ messages: [ApplicationMessageRecord], applicationID: UUID, canWrite: Bool, context: PageContext
    ) -> Node {
        let readerIsAgency = context.user?.organisationKind == .agency
        return tag("section", .id("beskeder"), .aria("labelledby", "beskeder-overskrift")) {
            tag("h2", .id("beskeder-overskrift")) { "Beskeder" }
            if messages.isEmpty { tag("p") { "Der er ingen beskeder endnu." } }
            tag("ol", .class("messages")) {
                for message in messages {
                    tag("li", .class(message.fromAgency ? "message from-agency" : "message")) {
                        tag("p", .class("meta")) {
                            (message.fromAgency && !readerIsAgency
                                ? message.organisationName : message.authorName + ", " + message.organisationName)
                                + " – " + DanishTime.dateTime(message.createdAt)
                        }
                        prose(message.body)
                        if !message.files.isEmpty {
                            tag("ul", .class("attachments")) {
                                for file in message.files {
                                    tag("li") {
                                        tag("a", .href(SiteURL.messageFile(applicationID, file.id!).path)) {
                                            file.fileName
                                        }
                                        " (" + FileType.danishSize(file.bytes) + ")"
                                    }
                                }
                            }
                        }
                    }
                }
            }
            if canWrite {
                tag(
                    "form", .init("method", "post"), .init("action", SiteURL.applicationMessages(applicationID).path),
                    .init("enctype", "multipart/form-data"), .class("narrow")
                ) {
                    Layout.csrfField(context)
                    FormField.textArea(
                        "body", label: "Skriv en besked", value: nil, errors: FormErrors(),
                        hint: "Modtagerne får besked pr. e-mail. Den indsendte ansøgning ændres ikke.", rows: 4)
                    tag("div", .class("field")) {
                        tag("label", .for("felt-message-file")) { "Vedhæft en fil (valgfrit)" }
                        tag("p", .class("hint"), .id("felt-message-file-hint")) {
                            "PDF, Word, Excel, PNG eller JPEG, højst \(FileType.danishSize(FileType.messageFileLimit))."
                        }
                        tag(
                            "input", .type("file"), .id("felt-message-file"), .name("file"),
                            .aria("describedby", "felt-message-file-hint"),
                            Attribute("accept", ".pdf,.docx,.xlsx,.png,.jpg,.jpeg"))
                    }
                    tag("button", .type("submit"), .class("button secondary")) { "Send besked" }
                }
            } else if readerIsAgency {
                tag("p", .class("hint")) {
                    "Bedømmere skriver ikke til ansøgerne; det gør tilskudsforvaltningen og programledelsen."
                }
            } else {
                tag("p", .class("hint")) {
                    "Beskeder kan sendes, når ansøgningen er indsendt. Spørgsmål før fristen rettes til puljens kontaktpersoner."
                }
            }
        }
    }
}

/// The attachments of an application, as a section of its page.
enum AttachmentsSection {
    static func view(
        _ attachments: [ApplicationAttachmentRecord], rules: CallRules, applicationID: UUID, canWrite: Bool,
        context: PageContext, step: ApplicationSection? = nil
    ) -> Node {
        guard !rules.attachmentKinds.isEmpty || !attachments.isEmpty else { return .empty }
        // On the attachments step the forms come back to it.
        let back = step.map { "?afsnit=" + $0.rawValue } ?? ""
        return tag("section", .id("bilag"), .aria("labelledby", "bilag-overskrift")) {
            tag("h2", .id("bilag-overskrift")) { "Bilag" }
            tag("ul") {
                for kind in rules.attachmentKinds {
                    tag("li") {
                        kind.name + (kind.required ? " (skal vedhæftes)" : " (kan vedhæftes)") + ", højst "
                            + FileType.danishSize(kind.maximumBytes)
                    }
                }
            }
            if attachments.isEmpty {
                tag("p") { "Der er ingen bilag endnu." }
            } else {
                tag("ul", .class("attachments")) {
                    for a in attachments {
                        tag("li") {
                            tag("a", .href(SiteURL.attachment(applicationID, a.id!).path)) { a.fileName }
                            " (" + (rules.attachmentKinds.first { $0.id == a.kind }?.name ?? a.kind) + ", "
                                + FileType.danishSize(a.bytes) + ", " + a.uploadedBy + ")"
                            if canWrite {
                                Document.postButton(
                                    action: SiteURL.deleteAttachment(applicationID, a.id!).path + back, label: "Fjern",
                                    csrfField: Layout.csrfField(context), style: "link-button")
                            }
                        }
                    }
                }
            }
            if canWrite && !rules.attachmentKinds.isEmpty {
                tag(
                    "form", .init("method", "post"), .init("action", SiteURL.attachments(applicationID).path + back),
                    .init("enctype", "multipart/form-data"), .class("narrow")
                ) {
                    Layout.csrfField(context)
                    FormField.select(
                        "kind", label: "Hvilket bilag", options: rules.attachmentKinds.map { ($0.id, $0.name) },
                        selected: nil, errors: FormErrors())
                    tag("div", .class("field")) {
                        tag("label", .for("felt-file")) { "Fil" }
                        tag("p", .class("hint"), .id("felt-file-hint")) {
                            "PDF, Word (docx), Excel (xlsx), PNG eller JPEG."
                        }
                        tag(
                            "input", .type("file"), .id("felt-file"), .name("file"),
                            .aria("describedby", "felt-file-hint"),
                            Attribute("accept", ".pdf,.docx,.xlsx,.png,.jpg,.jpeg"))
                    }
                    tag("button", .type("submit"), .class("button secondary")) { "Vedhæft" }
                }
            }
        }
    }
}
