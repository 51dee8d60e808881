"""A stage of allauth's sign-in, adapted to families who have a phone and no email."""

from allauth.account.stages import EmailVerificationStage


class EmailVerificationUnlessPhoneStage(EmailVerificationStage):
    """allauth's mandatory email verification, except for an account whose verified phone is
    how it signs in: a family with no email is never asked to prove one."""

    def handle(self):
        user = self.login.user
        if user is not None and user.phone and user.phone_verified and not self.login.email:
            return None, True
        return super().handle()
