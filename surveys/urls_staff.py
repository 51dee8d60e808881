"""Liaisons' and partner staff's pages for surveys, stories, payments and the partner's own
survey questions, under /p/<partner>/."""

from django.urls import path

from surveys.views import payments, sms_questions, staff

P = "p/<slug:partner_slug>/"
SURVEY = P + "surveys/<int:survey_id>/"
STORY = P + "stories/<int:story_id>/"
BATCH = P + "payments/batches/<int:batch_id>/"

urlpatterns = [
    path(P + "surveys/", staff.review_queue, name="review_queue"),
    path(SURVEY, staff.survey_review, name="survey_review"),
    path(STORY, staff.story_review, name="story_review"),
    path(STORY + "photo/", staff.story_review_photo, name="story_review_photo"),
    path(P + "payments/", payments.payments, name="payments"),
    path(P + "payments/batches/new/", payments.payment_batch_new, name="payment_batch_new"),
    path(BATCH, payments.payment_batch, name="payment_batch"),
    path(BATCH + "export.csv", payments.payment_batch_export, name="payment_batch_export"),
    path(
        P + "payments/stipends/<int:stipend_id>/mark/", payments.stipend_mark, name="stipend_mark"
    ),
    path(P + "survey/", staff.survey_template, name="survey_template"),
    path(P + "survey/sms/", sms_questions.survey_sms_questions, name="survey_sms_questions"),
]
