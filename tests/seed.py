"""Figures of the seed (the 2nd meeting's material) that several test modules assert."""

# The 8 KPIs as the meeting material prints them (「KPI xx.x%（達成率の単純平均）」), K1 to K8.
SEED_KPIS = {
    "K1": "33.0",
    "K2": "66.5",
    "K3": "22.9",
    "K4": "62.6",
    "K5": "43.5",
    "K6": "63.1",
    "K7": "54.3",
    "K8": "31.0",
}
