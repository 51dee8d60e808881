"""The survey and the practice catalogue that ship with the platform, in English, Spanish and
French. Keys are the public contract's metric keys (docs/api.md): never rename them."""

from decimal import Decimal


def _t(en: str, es: str, fr: str) -> dict:
    return {"en": en, "es": es, "fr": fr}


def _choice(value: str, en: str, es: str, fr: str) -> dict:
    return {"value": value, "labels": _t(en, es, fr)}


# The short survey asked by text message and USSD: the figures that trends and the baseline
# need most, in a few replies (partners change the choice on their survey page).
SMS_SURVEY_KEYS = (
    "income_wages",
    "income_business",
    "savings_balance",
    "debt_formal",
    "adults_working",
    "health_insured",
    "housing",
)

# (key, type, section, required, labels, help texts, choices, min, max)
DEFAULT_QUESTIONS = [
    (
        "income_wages",
        "money",
        "income",
        True,
        _t("Earnings from jobs", "Ingresos de trabajos", "Revenus du travail salarié"),
        _t(
            "All the household earned from jobs this month, after deductions.",
            "Todo lo que el hogar ganó en trabajos este mes, después de descuentos.",
            "Tout ce que le foyer a gagné en emplois ce mois-ci, après retenues.",
        ),
        [],
        Decimal("0"),
        None,
    ),
    (
        "income_business",
        "money",
        "income",
        True,
        _t(
            "Net income from your own business",
            "Ingreso neto de su propio negocio",
            "Revenu net de votre propre activité",
        ),
        _t(
            "What the business or self-employment left after its costs.",
            "Lo que dejó el negocio o el trabajo por cuenta propia después de sus gastos.",
            "Ce que l'activité ou le travail indépendant a laissé après ses frais.",
        ),
        [],
        Decimal("0"),
        None,
    ),
    (
        "income_benefits",
        "money",
        "income",
        True,
        _t("Public benefits and subsidies", "Ayudas públicas y subsidios", "Aides publiques"),
        _t(
            "Food stamps, cash assistance, child benefits and the like.",
            "Cupones de alimentos, asistencia en efectivo, ayudas por hijos y similares.",
            "Bons alimentaires, aides en espèces, allocations familiales, etc.",
        ),
        [],
        Decimal("0"),
        None,
    ),
    (
        "income_other",
        "money",
        "income",
        True,
        _t("Other income", "Otros ingresos", "Autres revenus"),
        _t(
            "Money sent by relatives, gifts and anything else.",
            "Dinero enviado por familiares, regalos y cualquier otro ingreso.",
            "Argent envoyé par des proches, cadeaux et autres revenus.",
        ),
        [],
        Decimal("0"),
        None,
    ),
    (
        "savings_balance",
        "money",
        "savings",
        True,
        # A month's survey opens on its first day: the balance is the one of that day, or of
        # the month's last day once the month is over.
        _t(
            "Total savings so far this month",
            "Ahorros totales hasta ahora este mes",
            "Épargne totale à ce jour ce mois-ci",
        ),
        _t(
            "Bank, savings circle, cash kept aside: what you have today, or at the end of the "
            "month if it is over.",
            "Banco, círculo de ahorro, efectivo guardado: lo que tiene hoy, o a fin de mes si "
            "el mes ya terminó.",
            "Banque, tontine, argent mis de côté : ce que vous avez aujourd'hui, ou en fin de "
            "mois si le mois est fini.",
        ),
        [],
        Decimal("0"),
        None,
    ),
    (
        "debt_formal",
        "money",
        "savings",
        True,
        _t(
            "Owed to banks, credit unions and formal lenders",
            "Deuda con bancos, cooperativas y prestamistas formales",
            "Dettes auprès des banques, coopératives et prêteurs officiels",
        ),
        {},
        [],
        Decimal("0"),
        None,
    ),
    (
        "debt_high_cost",
        "money",
        "savings",
        True,
        _t(
            "Owed to payday or informal high-cost lenders",
            "Deuda con prestamistas caros, formales o informales",
            "Dettes auprès de prêteurs chers, officiels ou non",
        ),
        {},
        [],
        Decimal("0"),
        None,
    ),
    (
        "adults_working",
        "number",
        "work",
        True,
        _t("Adults with paid work", "Adultos con trabajo pagado", "Adultes ayant un travail payé"),
        {},
        [],
        Decimal("0"),
        Decimal("30"),
    ),
    (
        "children_in_school",
        "number",
        "work",
        False,
        _t(
            "School-age children attending school",
            "Niños en edad escolar que van a la escuela",
            "Enfants d'âge scolaire qui vont à l'école",
        ),
        {},
        [],
        Decimal("0"),
        Decimal("30"),
    ),
    (
        "children_grades",
        "choice",
        "work",
        False,
        _t("The children's grades", "Las calificaciones de los niños", "Les notes des enfants"),
        {},
        [
            _choice("improved", "Improved", "Mejoraron", "En progrès"),
            _choice("same", "About the same", "Igual", "À peu près pareilles"),
            _choice("worse", "Worse", "Empeoraron", "En baisse"),
            _choice("n/a", "Does not apply", "No aplica", "Ne s'applique pas"),
        ],
        None,
        None,
    ),
    (
        "health_insured",
        "yes_no",
        "health",
        False,
        _t(
            "Everyone in the household has health coverage",
            "Todos en el hogar tienen seguro de salud",
            "Tout le foyer a une couverture santé",
        ),
        {},
        [],
        None,
        None,
    ),
    (
        "housing",
        "choice",
        "health",
        False,
        _t("Housing", "Vivienda", "Logement"),
        {},
        [
            _choice("own", "We own our home", "Casa propia", "Propriétaires"),
            _choice("rent", "We rent", "Alquilamos", "Locataires"),
            _choice("shared", "We share with others", "Compartimos", "Logement partagé"),
            _choice("unstable", "No stable home", "Sin vivienda estable", "Sans logement stable"),
        ],
        None,
        None,
    ),
    (
        "help_given_count",
        "number",
        "help",
        False,
        _t(
            "Times you helped other households",
            "Veces que ayudó a otros hogares",
            "Fois où vous avez aidé d'autres foyers",
        ),
        {},
        [],
        Decimal("0"),
        Decimal("500"),
    ),
    (
        "help_given_value",
        "money",
        "help",
        False,
        _t(
            "Value of the help you gave",
            "Valor de la ayuda que dio",
            "Valeur de l'aide donnée",
        ),
        {},
        [],
        Decimal("0"),
        None,
    ),
    (
        "help_received_count",
        "number",
        "help",
        False,
        _t(
            "Times friends and peers helped you",
            "Veces que amigos y vecinos le ayudaron",
            "Fois où des proches vous ont aidé",
        ),
        {},
        [],
        Decimal("0"),
        Decimal("500"),
    ),
    (
        "help_received_value",
        "money",
        "help",
        False,
        _t(
            "Value of the help you received",
            "Valor de la ayuda recibida",
            "Valeur de l'aide reçue",
        ),
        {},
        [],
        Decimal("0"),
        None,
    ),
    (
        "confidence_future",
        "choice",
        "future",
        False,
        _t(
            "How confident do you feel about your future?",
            "¿Qué tan confiados se sienten sobre su futuro?",
            "Quelle confiance avez-vous en votre avenir ?",
        ),
        {},
        [
            _choice("1", "1 — not at all", "1 — nada", "1 — pas du tout"),
            _choice("2", "2", "2", "2"),
            _choice("3", "3", "3", "3"),
            _choice("4", "4", "4", "4"),
            _choice("5", "5 — very", "5 — mucho", "5 — tout à fait"),
        ],
        None,
        None,
    ),
    (
        "practices",
        "multi_choice",
        "practices",
        False,
        _t(
            "What did your household do this month?",
            "¿Qué hizo su hogar este mes?",
            "Qu'a fait votre foyer ce mois-ci ?",
        ),
        _t(
            "Tick all that apply.",
            "Marque todo lo que corresponda.",
            "Cochez tout ce qui s'applique.",
        ),
        [],
        None,
        None,
    ),
    (
        "notes",
        "text",
        "notes",
        False,
        _t("Anything else?", "¿Algo más?", "Autre chose ?"),
        {},
        [],
        None,
        None,
    ),
]

# (slug, names); their descriptions are in PRACTICE_DESCRIPTIONS
DEFAULT_PRACTICES = [
    (
        "opened-savings-account",
        _t(
            "Opened a savings account", "Abrió una cuenta de ahorro", "A ouvert un compte d'épargne"
        ),
    ),
    (
        "savings-circle",
        _t(
            "Joined or started a savings circle",
            "Se unió o formó un círculo de ahorro",
            "A rejoint ou créé une tontine",
        ),
    ),
    (
        "paid-down-high-cost-debt",
        _t(
            "Paid down high-cost debt",
            "Pagó deuda cara",
            "A remboursé une dette chère",
        ),
    ),
    (
        "started-business",
        _t("Started a business", "Empezó un negocio", "A lancé une activité"),
    ),
    (
        "expanded-business",
        _t("Expanded a business", "Amplió un negocio", "A développé son activité"),
    ),
    (
        "job-through-peer",
        _t(
            "Found a job through a peer",
            "Encontró trabajo gracias a otra familia",
            "A trouvé un emploi grâce à un proche",
        ),
    ),
    (
        "took-training",
        _t("Took a training", "Tomó una capacitación", "A suivi une formation"),
    ),
    (
        "tutoring-circle",
        _t(
            "Children's tutoring circle",
            "Círculo de tareas para los niños",
            "Groupe d'aide aux devoirs",
        ),
    ),
    (
        "shared-childcare",
        _t("Shared childcare", "Cuidado de niños compartido", "Garde d'enfants partagée"),
    ),
    (
        "home-improvement",
        _t(
            "Bought or improved a home",
            "Compró o mejoró su vivienda",
            "A acheté ou amélioré son logement",
        ),
    ),
]

PRACTICE_DESCRIPTIONS = {
    "opened-savings-account": _t(
        "Opened an account at a bank or credit union to keep savings safe.",
        "Abrió una cuenta en un banco o cooperativa para guardar sus ahorros.",
        "A ouvert un compte dans une banque ou une coopérative pour garder son épargne.",
    ),
    "savings-circle": _t(
        "Families put in a little each week; each takes the whole pot in turn.",
        "Las familias ponen un poco cada semana; cada una recibe el total por turnos.",
        "Les familles versent un peu chaque semaine ; chacune reçoit la cagnotte à son tour.",
    ),
    "paid-down-high-cost-debt": _t(
        "Paid back payday or informal loans that charge very high interest.",
        "Pagó préstamos rápidos o informales que cobran intereses muy altos.",
        "A remboursé des prêts rapides ou informels aux intérêts très élevés.",
    ),
    "started-business": _t(
        "Began selling something or offering a service of their own.",
        "Empezó a vender algo u ofrecer un servicio propio.",
        "A commencé à vendre quelque chose ou à offrir son propre service.",
    ),
    "expanded-business": _t(
        "Grew an existing business: more customers, products or hours.",
        "Hizo crecer un negocio: más clientes, productos u horas.",
        "A agrandi une activité : plus de clients, de produits ou d'heures.",
    ),
    "job-through-peer": _t(
        "Got work thanks to another family's tip or introduction.",
        "Consiguió trabajo gracias al dato o la recomendación de otra familia.",
        "A trouvé du travail grâce au conseil ou à la recommandation d'une autre famille.",
    ),
    "took-training": _t(
        "Took a course or training to learn a skill.",
        "Hizo un curso o capacitación para aprender un oficio.",
        "A suivi un cours ou une formation pour apprendre un savoir-faire.",
    ),
    "tutoring-circle": _t(
        "Parents take turns helping the children with homework.",
        "Madres y padres se turnan para ayudar a los niños con las tareas.",
        "Les parents aident les enfants à faire leurs devoirs à tour de rôle.",
    ),
    "shared-childcare": _t(
        "Families watch each other's children so adults can work or study.",
        "Las familias cuidan a los niños de otras para que los adultos trabajen o estudien.",
        "Les familles gardent les enfants des autres pour que les adultes travaillent ou étudient.",
    ),
    "home-improvement": _t(
        "Bought a home, or repaired or improved the one they live in.",
        "Compró una vivienda, o reparó o mejoró la suya.",
        "A acheté un logement, ou réparé ou amélioré le sien.",
    ),
}
