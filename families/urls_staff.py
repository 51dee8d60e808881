"""Partner staff's and liaisons' pages for cohorts and families, under /p/<partner>/."""

from django.urls import path

from families.views import contact, staff

P = "p/<slug:partner_slug>/"
COHORT = P + "cohorts/<int:cohort_id>/"
FAMILY = P + "families/<int:family_id>/"

urlpatterns = [
    path(P + "cohorts/", staff.cohort_list, name="cohort_list"),
    path(P + "cohorts/new/", staff.cohort_create, name="cohort_create"),
    path(COHORT, staff.cohort_detail, name="cohort_detail"),
    path(COHORT + "edit/", staff.cohort_edit, name="cohort_edit"),
    path(COHORT + "enroll/", staff.family_enroll, name="family_enroll"),
    path(COHORT + "enroll/csv/", staff.family_enroll_csv, name="family_enroll_csv"),
    path(
        COHORT + "enroll/csv/template.csv",
        staff.family_enroll_csv_template,
        name="family_enroll_csv_template",
    ),
    path(COHORT + "families.csv", staff.cohort_export, name="cohort_export"),
    path(COHORT + "meetings/new/", staff.group_meeting_create, name="group_meeting_create"),
    path(FAMILY, staff.staff_family_detail, name="staff_family_detail"),
    path(FAMILY + "promote/", staff.family_promote, name="family_promote"),
    path(FAMILY + "contact/", contact.family_contact_edit, name="family_contact_edit"),
    path(P + "phones-to-fix/", contact.phones_to_fix, name="phones_to_fix"),
]
