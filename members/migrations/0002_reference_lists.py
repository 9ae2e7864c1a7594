"""Default activities and publics served; coordinators extend them in the admin."""

from django.db import migrations

ACTIVITIES = [
    ("accueil-social", "Accueil et accompagnement social", "Social welcome and support"),
    ("enfance-jeunesse", "Enfance et jeunesse", "Children and youth"),
    ("familles-parentalite", "Familles et parentalité", "Families and parenting"),
    ("culture", "Culture et pratiques artistiques", "Culture and the arts"),
    ("insertion-emploi", "Insertion et emploi", "Employment and integration"),
    ("numerique", "Médiation numérique", "Digital inclusion"),
    ("alimentation", "Alimentation et épicerie solidaire", "Food and community grocery"),
    ("langue-francaise", "Apprentissage du français", "French language classes"),
    ("sport-sante", "Sport et santé", "Sport and health"),
    ("vie-locale", "Vie locale et citoyenneté", "Local life and citizenship"),
    ("environnement", "Transition écologique", "Ecological transition"),
    ("tiers-lieu", "Tiers-lieu et espaces partagés", "Third place and shared spaces"),
]
PUBLICS = [
    ("tout-public", "Tout public", "Everyone"),
    ("enfants", "Enfants", "Children"),
    ("jeunes", "Jeunes (15–25 ans)", "Young people (15–25)"),
    ("familles", "Familles", "Families"),
    ("seniors", "Personnes âgées", "Older people"),
    ("precarite", "Personnes en situation de précarité", "People in precarious situations"),
    ("migrants", "Personnes migrantes", "Migrants"),
    ("handicap", "Personnes en situation de handicap", "People with disabilities"),
    ("demandeurs-emploi", "Demandeurs d’emploi", "Jobseekers"),
]


def create(apps, schema_editor):
    for model_name, rows in (("Activity", ACTIVITIES), ("PublicServed", PUBLICS)):
        Model = apps.get_model("members", model_name)
        for position, (slug, name, name_en) in enumerate(rows, start=1):
            Model.objects.get_or_create(
                slug=slug, defaults={"name": name, "name_en": name_en, "position": position}
            )


def remove(apps, schema_editor):
    for model_name, rows in (("Activity", ACTIVITIES), ("PublicServed", PUBLICS)):
        apps.get_model("members", model_name).objects.filter(
            slug__in=[slug for slug, _n, _e in rows]
        ).delete()


class Migration(migrations.Migration):
    dependencies = [("members", "0001_initial")]

    operations = [migrations.RunPython(create, remove)]
