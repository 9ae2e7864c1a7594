"""Static tables for the demo network built by ``manage.py seed_demo``.

Real communes with one or more of their postcodes and approximate coordinates (latitude,
longitude), weighted roughly by population; French first and last names; place names; and
short narrative templates per self-assessment level. Everything here is fictional except the
communes.
"""

# (commune, postcodes, latitude, longitude, weight)
COMMUNES = [
    # Île-de-France
    ("Paris", ("75011", "75013", "75018", "75019", "75020"), 48.8566, 2.3522, 30),
    ("Saint-Denis", ("93200",), 48.9362, 2.3574, 6),
    ("Montreuil", ("93100",), 48.8638, 2.4485, 6),
    ("Créteil", ("94000",), 48.7904, 2.4556, 4),
    ("Nanterre", ("92000",), 48.8924, 2.2071, 4),
    ("Argenteuil", ("95100",), 48.9472, 2.2467, 4),
    ("Évry-Courcouronnes", ("91000",), 48.6290, 2.4410, 3),
    ("Meaux", ("77100",), 48.9601, 2.8788, 2),
    ("Mantes-la-Jolie", ("78200",), 48.9908, 1.7172, 2),
    # Hauts-de-France
    ("Lille", ("59000", "59800"), 50.6292, 3.0573, 8),
    ("Roubaix", ("59100",), 50.6942, 3.1746, 4),
    ("Amiens", ("80000", "80080"), 49.8941, 2.2958, 4),
    ("Lens", ("62300",), 50.4320, 2.8333, 2),
    ("Beauvais", ("60000",), 49.4295, 2.0807, 2),
    ("Saint-Quentin", ("02100",), 49.8465, 3.2876, 2),
    # Grand Est
    ("Strasbourg", ("67000", "67100", "67200"), 48.5734, 7.7521, 7),
    ("Mulhouse", ("68100", "68200"), 47.7508, 7.3359, 3),
    ("Metz", ("57000", "57050"), 49.1193, 6.1757, 3),
    ("Nancy", ("54000", "54100"), 48.6921, 6.1844, 3),
    ("Reims", ("51100",), 49.2583, 4.0317, 3),
    ("Troyes", ("10000",), 48.2973, 4.0744, 2),
    ("Charleville-Mézières", ("08000",), 49.7621, 4.7265, 1),
    # Normandie
    ("Rouen", ("76000", "76100"), 49.4432, 1.0999, 4),
    ("Le Havre", ("76600", "76610"), 49.4944, 0.1079, 4),
    ("Caen", ("14000",), 49.1829, -0.3707, 3),
    ("Cherbourg-en-Cotentin", ("50100",), 49.6337, -1.6222, 2),
    ("Alençon", ("61000",), 48.4329, 0.0913, 1),
    ("Évreux", ("27000",), 49.0270, 1.1508, 1),
    # Bretagne
    ("Rennes", ("35000", "35200", "35700"), 48.1173, -1.6778, 6),
    ("Brest", ("29200",), 48.3904, -4.4861, 4),
    ("Lorient", ("56100",), 47.7483, -3.3700, 2),
    ("Saint-Brieuc", ("22000",), 48.5136, -2.7603, 2),
    ("Quimper", ("29000",), 47.9960, -4.1024, 2),
    # Pays de la Loire
    ("Nantes", ("44000", "44100", "44300"), 47.2184, -1.5536, 7),
    ("Angers", ("49000", "49100"), 47.4784, -0.5632, 4),
    ("Le Mans", ("72000", "72100"), 48.0061, 0.1996, 3),
    ("Saint-Nazaire", ("44600",), 47.2735, -2.2138, 2),
    ("La Roche-sur-Yon", ("85000",), 46.6705, -1.4260, 2),
    ("Laval", ("53000",), 48.0707, -0.7734, 1),
    # Centre-Val de Loire
    ("Tours", ("37000", "37100"), 47.3941, 0.6848, 4),
    ("Orléans", ("45000", "45100"), 47.9030, 1.9093, 4),
    ("Bourges", ("18000",), 47.0810, 2.3988, 2),
    ("Blois", ("41000",), 47.5861, 1.3359, 2),
    ("Chartres", ("28000",), 48.4439, 1.4890, 1),
    ("Châteauroux", ("36000",), 46.8103, 1.6913, 1),
    # Bourgogne-Franche-Comté
    ("Dijon", ("21000",), 47.3220, 5.0415, 4),
    ("Besançon", ("25000",), 47.2378, 6.0241, 3),
    ("Chalon-sur-Saône", ("71100",), 46.7806, 4.8539, 2),
    ("Auxerre", ("89000",), 47.7982, 3.5673, 1),
    ("Nevers", ("58000",), 46.9909, 3.1590, 1),
    ("Belfort", ("90000",), 47.6397, 6.8638, 1),
    # Nouvelle-Aquitaine
    ("Bordeaux", ("33000", "33300", "33800"), 44.8378, -0.5792, 7),
    ("Limoges", ("87000", "87100"), 45.8336, 1.2611, 3),
    ("Poitiers", ("86000",), 46.5802, 0.3404, 3),
    ("Pau", ("64000",), 43.2951, -0.3708, 2),
    ("La Rochelle", ("17000",), 46.1603, -1.1511, 2),
    ("Périgueux", ("24000",), 45.1846, 0.7214, 1),
    ("Bayonne", ("64100",), 43.4929, -1.4748, 2),
    ("Guéret", ("23000",), 46.1710, 1.8717, 1),
    # Occitanie
    ("Toulouse", ("31000", "31100", "31200", "31300", "31500"), 43.6047, 1.4442, 8),
    ("Montpellier", ("34000", "34070", "34080"), 43.6108, 3.8767, 6),
    ("Nîmes", ("30000", "30900"), 43.8367, 4.3601, 3),
    ("Perpignan", ("66000", "66100"), 42.6887, 2.8948, 3),
    ("Albi", ("81000",), 43.9289, 2.1464, 1),
    ("Tarbes", ("65000",), 43.2328, 0.0781, 1),
    ("Rodez", ("12000",), 44.3506, 2.5750, 1),
    ("Carcassonne", ("11000",), 43.2130, 2.3491, 1),
    ("Mende", ("48000",), 44.5181, 3.5000, 1),
    # Auvergne-Rhône-Alpes
    ("Lyon", ("69001", "69003", "69007", "69008", "69009"), 45.7640, 4.8357, 9),
    ("Villeurbanne", ("69100",), 45.7719, 4.8902, 4),
    ("Vénissieux", ("69200",), 45.6975, 4.8867, 3),
    ("Grenoble", ("38000", "38100"), 45.1885, 5.7245, 5),
    ("Saint-Étienne", ("42000", "42100"), 45.4397, 4.3872, 4),
    ("Clermont-Ferrand", ("63000", "63100"), 45.7772, 3.0870, 4),
    ("Annecy", ("74000",), 45.8992, 6.1294, 2),
    ("Chambéry", ("73000",), 45.5646, 5.9178, 2),
    ("Valence", ("26000",), 44.9334, 4.8924, 2),
    ("Aurillac", ("15000",), 44.9264, 2.4397, 1),
    ("Le Puy-en-Velay", ("43000",), 45.0434, 3.8858, 1),
    ("Bourg-en-Bresse", ("01000",), 46.2052, 5.2255, 1),
    ("Montluçon", ("03100",), 46.3401, 2.6031, 1),
    ("Privas", ("07000",), 44.7352, 4.5990, 1),
    # Provence-Alpes-Côte d'Azur
    ("Marseille", ("13001", "13003", "13013", "13014", "13015"), 43.2965, 5.3698, 9),
    ("Nice", ("06000", "06300"), 43.7102, 7.2620, 5),
    ("Toulon", ("83000", "83200"), 43.1242, 5.9280, 3),
    ("Avignon", ("84000",), 43.9493, 4.8055, 2),
    ("Aix-en-Provence", ("13090", "13100"), 43.5297, 5.4474, 2),
    ("Gap", ("05000",), 44.5594, 6.0786, 1),
    ("Digne-les-Bains", ("04000",), 44.0925, 6.2356, 1),
    # Corse
    ("Ajaccio", ("20000", "20090"), 41.9192, 8.7386, 2),
    ("Porto-Vecchio", ("20137",), 41.5911, 9.2794, 1),
    ("Bastia", ("20200", "20600"), 42.6973, 9.4509, 2),
    ("Corte", ("20250",), 42.3063, 9.1492, 1),
    # Outre-mer
    ("Pointe-à-Pitre", ("97110",), 16.2411, -61.5331, 1),
    ("Les Abymes", ("97139",), 16.2710, -61.5045, 1),
    ("Fort-de-France", ("97200",), 14.6161, -61.0588, 2),
    ("Cayenne", ("97300",), 4.9224, -52.3135, 1),
    ("Saint-Denis", ("97400",), -20.8823, 55.4504, 2),
    ("Saint-Pierre", ("97410",), -21.3393, 55.4781, 1),
    ("Saint-Pierre", ("97500",), 46.7811, -56.1764, 1),
    ("Mamoudzou", ("97600",), -12.7806, 45.2279, 1),
]

# (kind, weight)
PLACE_KINDS = [
    ("Centre social", 30),
    ("Maison de quartier", 15),
    ("Espace de vie sociale", 15),
    ("Tiers-lieu", 12),
    ("Maison pour tous", 8),
    ("Maison des habitants", 7),
    ("Foyer rural", 6),
    ("Café associatif", 7),
]

PLACE_NAMES = [
    "Les Tilleuls", "La Passerelle", "L’Escale", "Le Lien", "La Ruche", "Les Acacias",
    "Louise-Michel", "Jean-Jaurès", "Simone-Veil", "Lucie-Aubrac", "Nelson-Mandela",
    "Victor-Hugo", "Les Trois Rivières", "La Fabrique", "L’Atelier", "La Source", "Le Carrefour",
    "Le Phare", "La Boussole", "L’Étincelle", "La Canopée", "Le Chêne", "Les Coquelicots",
    "La Marelle", "Le Moulin", "La Traverse", "Le Kiosque", "La Grange", "Les Lilas", "Le Pont",
    "La Clairière", "L’Olivier", "Le Fil", "La Maison Bleue", "Les Cerisiers", "Aimé-Césaire",
    "Gisèle-Halimi", "Germaine-Tillion", "Rosa-Parks", "Émile-Zola", "Jules-Verne",
    "Joséphine-Baker", "du Centre", "du Vieux-Bourg", "des Quatre-Vents", "de la Gare",
    "du Port", "des Hauts", "du Plateau", "de la Roseraie", "des Bords de Loire", "Le Trait d’Union",
    "L’Archipel", "La Courte Échelle", "Le Grand Air", "Les Petits Pas", "La Pépinière",
]  # fmt: skip

STREETS = [
    "rue de la République", "rue Jean-Jaurès", "avenue Victor-Hugo", "place de la Mairie",
    "rue des Écoles", "rue Pasteur", "boulevard Gambetta", "allée des Tilleuls",
    "rue du Général-de-Gaulle", "rue de la Paix", "impasse des Lilas", "chemin du Moulin",
    "rue Paul-Bert", "avenue de la Libération", "rue Louise-Michel", "place du Marché",
    "rue des Jardins", "square Jules-Ferry", "rue Anatole-France", "cours de la Liberté",
]  # fmt: skip

FIRST_NAMES = [
    "Camille", "Léa", "Manon", "Chloé", "Inès", "Sarah", "Emma", "Nadia", "Fatou", "Aïcha",
    "Claire", "Sophie", "Hélène", "Nathalie", "Isabelle", "Martine", "Julie", "Amandine",
    "Lucas", "Hugo", "Thomas", "Nicolas", "Karim", "Mehdi", "Yannick", "Mamadou", "Julien",
    "Antoine", "Pierre", "Jean", "Michel", "Philippe", "Sébastien", "Olivier", "Louis", "Noé",
    "Dominique", "Alex", "Maëlle", "Soizic",
]  # fmt: skip

LAST_NAMES = [
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy",
    "Moreau", "Simon", "Laurent", "Lefebvre", "Michel", "Garcia", "David", "Bertrand", "Roux",
    "Vincent", "Fournier", "Morel", "Girard", "André", "Mercier", "Dupont", "Lambert", "Bonnet",
    "François", "Martinez", "Legrand", "Garnier", "Faure", "Rousseau", "Blanc", "Guérin",
    "Muller", "Henry", "Roussel", "Nicolas", "Perrin", "Benali", "Diallo", "Nguyen", "Traoré",
    "Le Gall", "Kerouac", "Santoni", "Casanova", "Hoarau", "Payet",
]  # fmt: skip

SIGNATORY_TITLES = [
    "Présidente", "Président", "Co-présidente", "Co-président", "Secrétaire", "Trésorière",
]  # fmt: skip

DESCRIPTIONS = [
    "Un lieu ouvert à toutes et à tous au cœur de {commune} : accueil, ateliers, "
    "permanences et projets portés par les habitantes et les habitants.",
    "Depuis {year}, notre association fait vivre un espace de rencontre à {commune}, "
    "avec une équipe de bénévoles et de salariés attentive à chacun.",
    "Café, jardin partagé, ateliers numériques et sorties familiales : le lieu se construit "
    "avec celles et ceux qui le fréquentent.",
    "Nous accueillons chaque semaine plusieurs centaines de personnes à {commune} pour "
    "des activités éducatives, culturelles et solidaires.",
]

# Narratives per self-assessment level ("0".."4"); {commune} and {activity} are filled in.
NARRATIVES = {
    "0": [
        "Nous n’avons pas encore engagé d’action sur ce point ; le sujet sera mis à l’ordre "
        "du jour du prochain conseil d’administration.",
        "Ce sujet reste à travailler : l’équipe manque encore de temps pour s’en saisir.",
    ],
    "1": [
        "Premiers échanges avec les habitants de {commune} ; un groupe de travail s’est "
        "réuni deux fois cette année.",
        "Nous avons lancé une première action autour de l’activité « {activity} », à "
        "consolider l’an prochain.",
    ],
    "2": [
        "L’activité « {activity} » progresse : plus de participants et un premier bilan "
        "partagé avec les bénévoles.",
        "Des rencontres régulières avec nos partenaires de {commune} nous aident à avancer, "
        "même si tout n’est pas encore en place.",
    ],
    "3": [
        "C’est désormais une pratique bien installée : l’activité « {activity} » associe "
        "habitants, bénévoles et salariés à chaque étape.",
        "Le conseil d’administration suit ce point à chaque séance ; les habitants de "
        "{commune} y sont associés.",
    ],
    "4": [
        "Notre démarche sert d’exemple dans le réseau : d’autres lieux sont venus voir "
        "l’activité « {activity} » à {commune}.",
        "Un engagement partagé par toute l’équipe, évalué chaque année avec les habitants "
        "et reconnu par nos partenaires.",
    ],
}

ACTIONS = [
    "Atelier mensuel ouvert à tous.",
    "Réunion d’habitants chaque trimestre.",
    "Formation des bénévoles à l’accueil.",
    "Partenariat avec la médiathèque et l’école du quartier.",
    "Journée portes ouvertes et fête de quartier.",
    "Permanence hebdomadaire d’accompagnement.",
]

NA_REASONS = [
    "Notre lieu n’a pas d’activité salariée à ce jour.",
    "Ce point relève de notre structure porteuse, qui en rend compte.",
]

REVIEW_COMMENTS = [
    "Pourriez-vous préciser les actions menées et leur calendrier ?",
    "Merci d’ajouter un exemple concret pour illustrer ce niveau.",
]
