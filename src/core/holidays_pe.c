/*
 * holidays_pe.c - Peru's national holidays (feriados nacionales) as rules.
 *
 * The feriados of article 6 of Decreto Legislativo 713 as amended, which
 * bind the public and the private sector, with the year each law first
 * applied. Not here: one-off "días no laborables" decreed for the public
 * sector, regional holidays, Easter Sunday. Peru does not move a feriado
 * that falls on a weekend. Checked against ../shared/calendars (2024-2030)
 * by tests/unit/test_holidays.c; see docs/calendar.md.
 */
#include "core/holiday.h"

#define DL713 "D. Leg. 713 art. 6"
#define FIXED(m, d, from, es, en, basis) \
	{HOLIDAY_FIXED, (m), (d), 0, (from), 0, (es), (en), (basis)}
#define EASTER(off, es, en) \
	{HOLIDAY_EASTER, 0, 0, (off), 0, 0, (es), (en), DL713}

static const struct holiday_rule rules_pe[] = {
	FIXED(1, 1, 0, "Año Nuevo", "New Year's Day", DL713),
	EASTER(-3, "Jueves Santo", "Maundy Thursday"),
	EASTER(-2, "Viernes Santo", "Good Friday"),
	FIXED(5, 1, 0, "Día del Trabajo", "Labour Day", DL713),
	FIXED(6, 7, 2024, "Batalla de Arica y Día de la Bandera",
	      "Battle of Arica and Flag Day", "Ley 31788"),
	FIXED(6, 29, 0, "San Pedro y San Pablo", "Saint Peter and Saint Paul",
	      DL713),
	FIXED(7, 23, 2023, "Día de la Fuerza Aérea del Perú",
	      "Peruvian Air Force Day", "Ley 31822"),
	FIXED(7, 28, 0, "Fiestas Patrias (Día de la Independencia)",
	      "Independence Day", DL713),
	FIXED(7, 29, 0, "Fiestas Patrias", "Independence Day (second day)",
	      DL713),
	FIXED(8, 6, 2022, "Batalla de Junín", "Battle of Junín", "Ley 31530"),
	FIXED(8, 30, 0, "Santa Rosa de Lima", "Saint Rose of Lima", DL713),
	FIXED(10, 8, 0, "Combate de Angamos", "Battle of Angamos", DL713),
	FIXED(11, 1, 0, "Todos los Santos", "All Saints' Day", DL713),
	FIXED(12, 8, 0, "Inmaculada Concepción", "Immaculate Conception", DL713),
	FIXED(12, 9, 2022, "Batalla de Ayacucho", "Battle of Ayacucho",
	      "Ley 31381"),
	FIXED(12, 25, 0, "Navidad del Señor", "Christmas Day", DL713),
};

const struct holiday_set holidays_pe = {
	"peru",
	"Feriados nacionales del Perú",
	rules_pe,
	sizeof rules_pe / sizeof rules_pe[0],
};
