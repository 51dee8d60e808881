from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        # Nobody signs up alone: families join through an invitation from a family or their
        # partner, and staff through an invitation from their partner.
        return False
