import Vapor

func routes(_ app: Application) throws {
    app.get(SiteURL.health.components, use: HealthController.show)
    app.get(SiteURL.stylesheet.components, use: StaticAssets.stylesheet)
    app.get(SiteURL.script.components, use: StaticAssets.script)
    app.get(use: HomeController.show)

    app.get(SiteURL.signIn.components, use: SignInController.show)
    app.post(SiteURL.signIn.components, use: SignInController.signIn)
    app.post(SiteURL.signOut.components, use: SignInController.signOut)
    app.post(SiteURL.signOutEverywhere.components, use: SignInController.signOutEverywhere)

    app.get(SiteURL.profile.components, use: ProfileController.show)
    app.post(SiteURL.profile.components, use: ProfileController.update)
    app.post(SiteURL.profilePassword.components, use: ProfileController.changePassword)

    app.get(SiteURL.outbox.components, use: OutboxController.index)
    app.get(SiteURL.users.components, use: UsersController.index)
    app.get(SiteURL.newUser.components, use: UsersController.new)
    app.post(SiteURL.users.components, use: UsersController.create)
    app.get(SiteURL.pattern(.user), use: UsersController.edit)
    app.post(SiteURL.pattern(.user), use: UsersController.update)

    app.get(SiteURL.initiatives.components, use: InitiativesController.index)
    app.get(SiteURL.newInitiative.components, use: InitiativesController.new)
    app.post(SiteURL.initiatives.components, use: InitiativesController.create)
    app.get(SiteURL.pattern(.initiative), use: InitiativesController.show)
    app.get(SiteURL.pattern(.editInitiative), use: InitiativesController.edit)
    app.post(SiteURL.pattern(.initiative), use: InitiativesController.update)
    app.get(SiteURL.pattern(.initiativeHistory), use: InitiativesController.history)

    app.get(SiteURL.calls.components, use: CallsController.index)
    app.get(SiteURL.newCall.components, use: CallsController.new)
    app.post(SiteURL.calls.components, use: CallsController.create)
    app.get(SiteURL.pattern(.call), use: CallsController.show)
    app.post(SiteURL.pattern(.call), use: CallsController.update)
    app.get(SiteURL.pattern(.editCall), use: CallsController.edit)
    app.post(SiteURL.pattern(.publishCall), use: CallsController.publish)
    app.get(SiteURL.pattern(.callCalendar), use: CallsController.ics)
    app.post(SiteURL.pattern(.startApplication), use: ApplicationsController.start)

    app.get(SiteURL.myCases.components, use: ApplicationsController.myCases)
    app.get(SiteURL.pattern(.application), use: ApplicationsController.show)
    app.post(SiteURL.pattern(.application), use: ApplicationsController.save)
    app.post(SiteURL.pattern(.submitApplication), use: ApplicationsController.submit)
    app.get(SiteURL.pattern(.receipt), use: ApplicationsController.receipt)
    app.post(SiteURL.pattern(.withdrawApplication), use: ApplicationsController.withdraw)
    app.post(SiteURL.pattern(.applicationContributors), use: ApplicationsController.addContributor)
    app.post(SiteURL.pattern(.applicationResponsible), use: ApplicationsController.handOver)
    app.get(SiteURL.pattern(.applicationHistory), use: ApplicationsController.history)
    app.get(SiteURL.pattern(.budgetCSV), use: BudgetExport.csv)
    app.on(
        .POST, SiteURL.pattern(.applicationMessages),
        body: .collect(maxSize: ByteCount(value: AttachmentsController.maximumUploadBytes)),
        use: MessagesController.post)
    app.get(SiteURL.pattern(.messageFile), use: MessagesController.download)
    app.on(
        .POST, SiteURL.pattern(.attachments),
        body: .collect(maxSize: ByteCount(value: AttachmentsController.maximumUploadBytes)),
        use: AttachmentsController.upload)
    app.get(SiteURL.pattern(.attachment), use: AttachmentsController.download)
    app.post(SiteURL.pattern(.deleteAttachment), use: AttachmentsController.delete)
    app.get(SiteURL.pattern(.budgetXLSX), use: BudgetExport.xlsx)

    app.get(SiteURL.api(.initiatives).components, use: InitiativesAPI.index)
    app.get(SiteURL.pattern(.apiInitiative), use: InitiativesAPI.show)
    app.get(SiteURL.api(.calls).components, use: CallsAPI.index)
    app.get(SiteURL.pattern(.apiCall), use: CallsAPI.show)
    app.get(SiteURL.api(.applications).components, use: ApplicationsAPI.index)
    app.post(SiteURL.api(.applications).components, use: ApplicationsAPI.create)
    app.get(SiteURL.pattern(.apiApplication), use: ApplicationsAPI.show)
    app.put(SiteURL.pattern(.apiApplication), use: ApplicationsAPI.save)
    app.post(SiteURL.pattern(.apiSubmit), use: ApplicationsAPI.submit)
    app.post(SiteURL.pattern(.apiWithdraw), use: ApplicationsAPI.withdraw)
    app.get(SiteURL.api(.openAPI).components, use: OpenAPIDocument.serve)
}
