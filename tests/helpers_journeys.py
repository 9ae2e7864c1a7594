"""Steps the browser journeys take on the real forms (Playwright pages): filling fields by
label, answering a report, the coordinator's review. Each step fills and clicks; checking the
outcome (and axe, screenshots) is the journey's."""

import re

from playwright.sync_api import expect


def fill_labelled(page, values):
    """Fill each field found by its label: ``{label: value}``, in order."""
    for label, value in values.items():
        page.get_by_label(label).fill(value)


def answer_first_commitment(page, narrative, actions, level="En progression"):
    """On a section of a report: a level, a narrative and actions for its first commitment;
    returns that commitment's block."""
    first = page.locator("section.report-commitment").first
    first.get_by_label(level, exact=True).check()
    first.get_by_label("Récit").fill(narrative)
    first.get_by_label("Actions concrètes").fill(actions)
    return first


def save_and_next(page):
    page.get_by_role("button", name=re.compile("^Enregistrer et passer")).click()


def resubmit(page, preview_url, message):
    """From the report's preview, send it again with a message to the coordinators."""
    page.goto(preview_url)
    page.get_by_label("Message à la coordination (facultatif)").fill(message)
    page.get_by_role("button", name="Envoyer le bilan à la coordination").click()
    expect(page.locator(".alert-success")).to_contain_text("envoyé")


def ask_for_changes(admin, review_url, answer, comment, message):
    """On the coordinators' review page (which shows ``answer``): a comment on ``answer`` and a
    message to the place, "changes requested" chosen; the decision is not sent yet."""
    admin.goto(review_url)
    admin.locator(f"textarea[name=comment_{answer.pk}]").fill(comment)
    admin.get_by_label("Demander des modifications").check()
    admin.get_by_label("Message au lieu").fill(message)


def send_decision(admin, outcome):
    admin.get_by_role("button", name="Enregistrer la décision").click()
    expect(admin.locator(".messagelist")).to_contain_text(outcome)


def approve(admin, review_url, shows):
    """The coordinator approves the report from its review page, which shows ``shows``."""
    admin.goto(review_url)
    expect(admin.locator("#content-main")).to_contain_text(shows)
    admin.get_by_label("Valider le bilan").check()
    send_decision(admin, "Validé")
