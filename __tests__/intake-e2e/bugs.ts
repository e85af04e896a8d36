// Bugs committed into the intake fixture projects (weather, monorepo, notes_app), like the change that broke CI.
// The catalog in fixtures/projects/bugs.json covers the four layout projects; these serve the intake scenarios.
import type { BugChange } from './intake-scenario.js'

/** Fahrenheit conversion inverted: four tests of weather/units.py fail (three parameters and the round trip). */
export const weatherUnitsInverted: BugChange = {
  id: 'weather-units-inverted',
  file: 'weather/units.py',
  search: '    return celsius * 9 / 5 + 32\n',
  replace: '    return celsius * 5 / 9 + 32\n'
}

/** A lost zero in the sensor range drops a cold reading; only an INFO log record says so. */
export const weatherSensorRange: BugChange = {
  id: 'weather-sensor-range',
  file: 'weather/stats.py',
  search: 'SENSOR_RANGE = (-60.0, 60.0)\n',
  replace: 'SENSOR_RANGE = (-6.0, 60.0)\n'
}

/** VAT no longer rounds half up: one parameter of the VAT test fails. */
export const monorepoVatRounding: BugChange = {
  id: 'monorepo-vat-rounding',
  file: 'services/api/orders/totals.py',
  search: '    return (cents * VAT_PERCENT + 50) // 100\n',
  replace: '    return cents * VAT_PERCENT // 100\n'
}

/** An import "cleaned up" in a module conftest.py imports: conftest.py fails to load, pytest runs nothing. */
export const notesConfigImport: BugChange = {
  id: 'notes-config-import',
  file: 'notes/config.py',
  search: 'from datetime import timedelta\n',
  replace: 'from datetime import datetime\n'
}

/** The same in a module only tests/web/conftest.py imports: pytest reports the directory tests/web as failing to collect. */
export const notesWebTemplateImport: BugChange = {
  id: 'notes-web-template-import',
  file: 'notes/web.py',
  search: 'from string import Template\n',
  replace: 'from string import Formatter\n'
}

/** Notes keep their surrounding whitespace: one test of notes/app.py fails. */
export const notesAddKeepsWhitespace: BugChange = {
  id: 'notes-add-keeps-whitespace',
  file: 'notes/app.py',
  search: '        self.notes.append(text.strip())\n',
  replace: '        self.notes.append(text)\n'
}
