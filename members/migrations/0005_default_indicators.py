"""The default reporting indicators, drawn from the charter's ambitions.

Volunteering and the mixed economic model (ambition-economie-mixte), jobs
(ambition-emploi), the co-managed place (ambition-modele-social-cogere), local reach
(ambition-ancrage-territorial). Coordinators edit them in the admin.
"""

from django.db import migrations

# key, group, label, label_en, help, help_en, unit, kind, max, required, commitment_key
INDICATORS = [
    ("benevoles", "benevolat", "Bénévoles", "Volunteers",
     "Personnes qui ont donné de leur temps au lieu pendant l’année.",
     "People who gave their time to the place during the year.",
     "personnes", "integer", None, True, "ambition-modele-social-cogere"),
    ("heures-benevolat", "benevolat", "Heures de bénévolat", "Volunteer hours",
     "Total des heures données par les bénévoles sur l’année (une estimation suffit).",
     "Total hours given by volunteers over the year (an estimate will do).",
     "heures", "integer", None, False, "ambition-economie-mixte"),
    ("valorisation-benevolat", "benevolat", "Valorisation du bénévolat", "Valued volunteering",
     "Heures de bénévolat multipliées par un taux horaire (par exemple le SMIC chargé).",
     "Volunteer hours multiplied by an hourly rate (for instance the minimum wage with charges).",
     "€", "money", None, False, "ambition-economie-mixte"),
    ("salaries", "emploi", "Salariés", "Employees",
     "Personnes salariées au 31 décembre, quel que soit leur contrat.",
     "People employed on 31 December, whatever their contract.",
     "personnes", "integer", None, True, "ambition-emploi"),
    ("etp", "emploi", "Équivalents temps plein", "Full-time equivalents",
     "Somme des temps de travail rapportés à un temps plein (un mi-temps compte 0,5).",
     "Working time summed as full-time jobs (a half-time job counts 0.5).",
     "ETP", "decimal", None, False, "ambition-emploi"),
    ("emplois-crees", "emploi", "Emplois créés dans l’année", "Jobs created in the year",
     "Postes nouveaux ouverts pendant l’année.",
     "New positions opened during the year.",
     "postes", "integer", None, False, "ambition-emploi"),
    ("personnes-touchees", "activite", "Personnes touchées", "People reached",
     "Nombre de personnes différentes accueillies ou accompagnées (une estimation suffit).",
     "Number of different people welcomed or supported (an estimate will do).",
     "personnes", "integer", None, True, "ambition-ancrage-territorial"),
    ("budget-total", "budget", "Budget annuel total", "Total annual budget",
     "Total des produits de l’exercice.", "Total income of the financial year.",
     "€", "money", None, True, "ambition-economie-mixte"),
    ("budget-ventes", "budget", "dont vente de services", "of which sales of services",
     "Participations des usagers, prestations, buvette, locations…",
     "User fees, services, café, room hire…",
     "€", "money", None, False, "ambition-economie-mixte"),
    ("budget-public", "budget", "dont financements publics", "of which public funding",
     "Subventions et contrats de l’État, des collectivités, de la CAF…",
     "Grants and contracts from the State, local authorities, family allowance funds…",
     "€", "money", None, False, "ambition-economie-mixte"),
    ("budget-autres", "budget", "dont autres produits", "of which other income",
     "Cotisations, dons, mécénat, produits financiers…",
     "Membership fees, donations, sponsorship, financial income…",
     "€", "money", None, False, "ambition-economie-mixte"),
    ("ca-administrateurs", "gouvernance", "Administrateurs au conseil", "Board: directors",
     "Membres élus du conseil d’administration (ou de l’instance équivalente).",
     "Elected members of the board (or equivalent body).",
     "personnes", "integer", None, False, "ambition-modele-social-cogere"),
    ("ca-salaries", "gouvernance", "Salariés au conseil", "Board: employees",
     "Salariés qui siègent au conseil, avec ou sans droit de vote.",
     "Employees sitting on the board, with or without a vote.",
     "personnes", "integer", None, False, "ambition-modele-social-cogere"),
    ("ca-benevoles", "gouvernance", "Bénévoles au conseil", "Board: volunteers",
     "Bénévoles d’activité qui siègent au conseil.",
     "Activity volunteers sitting on the board.",
     "personnes", "integer", None, False, "ambition-modele-social-cogere"),
    ("ca-beneficiaires", "gouvernance", "Bénéficiaires au conseil", "Board: beneficiaries",
     "Usagers ou bénéficiaires qui siègent au conseil.",
     "Users or beneficiaries sitting on the board.",
     "personnes", "integer", None, False, "ambition-modele-social-cogere"),
]  # fmt: skip


def create(apps, schema_editor):
    Indicator = apps.get_model("members", "Indicator")
    for position, row in enumerate(INDICATORS, start=1):
        key, group, label, label_en, help_text, help_en, unit, kind, max_value, required, ck = row
        Indicator.objects.get_or_create(
            key=key,
            defaults={
                "group": group,
                "label": label,
                "label_en": label_en,
                "help_text": help_text,
                "help_text_en": help_en,
                "unit": unit,
                "kind": kind,
                "min_value": 0,
                "max_value": max_value,
                "required": required,
                "commitment_key": ck,
                "position": position * 10,
            },
        )


def remove(apps, schema_editor):
    apps.get_model("members", "Indicator").objects.filter(
        key__in=[row[0] for row in INDICATORS], values__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("members", "0004_coordination_groups")]

    operations = [migrations.RunPython(create, remove)]
