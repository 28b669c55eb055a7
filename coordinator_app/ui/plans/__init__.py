"""Aftale/plan: the udskrivningsaftale (§ 13 a) and koordinationsplan (§ 13 b) editor, facts and actions."""
