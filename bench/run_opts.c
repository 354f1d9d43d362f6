// SPDX-License-Identifier: GPL-2.0-only
/*
 * rmibench: the settings' options of `rmibench run` and `rmibench matrix`,
 * made from the settings table (config.h): names, values, ranges, defaults
 * and help all come from the schema.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "run.h"
#include "run_opts.h"

#define RUN_OPTS_KEY	0x1000	/* + the setting's index */

/* "HELP: CHOICES (default D)", "HELP (LO..HI UNIT, default D)", ... */
static void option_doc(const struct cfg_field *f, const struct run_config *d,
		       char *buf, size_t len)
{
	char def[64], what[192] = "";

	cfg_value_text(d, f, def, sizeof(def));
	switch (f->kind) {
	case CFG_KIND_NAME:
		cfg_choices(f, " or ", what, sizeof(what));
		snprintf(buf, len, "%s: %s (default %s)", f->help, what, def);
		return;
	case CFG_KIND_STR:
		snprintf(buf, len, "%s: %s (default %s)", f->help, f->want,
			 def);
		return;
	case CFG_KIND_UINT:
		/* the unit, unless the help says it already */
		if (f->lo || f->hi < UINT32_MAX)
			snprintf(what, sizeof(what), "%" PRIu64 "..%" PRIu64 "%s%s, ",
				 f->lo, f->hi,
				 strstr(f->help, f->unit) ? "" : " ",
				 strstr(f->help, f->unit) ? "" : f->unit);
		snprintf(buf, len, "%s (%sdefault %s)", f->help, what, def);
		return;
	case CFG_KIND_SIZE:
		if (f->align > 1) {
			struct run_config a = *d;

			f->set(&a, f->align);
			cfg_value_text(&a, f, what, sizeof(what));
			snprintf(buf, len, "%s (a multiple of %s, default %s)",
				 f->help, what, def);
			return;
		}
		snprintf(buf, len, "%s (default %s)", f->help, def);
		return;
	default:
		snprintf(buf, len, "%s", f->help);
		return;
	}
}

static struct argp_option options[CFG_NFIELDS + 1];
static char docs[CFG_NFIELDS][320];

static error_t run_opts_parse(int key, char *arg, struct argp_state *state)
{
	struct run_opts *o = state->input;
	const struct cfg_field *f;
	char why[256];

	if (key == ARGP_KEY_INIT) {
		run_config_default(&o->cfg);
		o->nrules = 0;
		memset(o->given, 0, sizeof(o->given));
		return 0;
	}
	if (key == ARGP_KEY_END) {
		/* --kernel sets every path; --strategy, --delegation override */
		run_config_resolve(&o->cfg, o->given[CFG_FIELD_strategy],
				   o->given[CFG_FIELD_delegation]);
		return 0;
	}
	if (key < RUN_OPTS_KEY || key >= RUN_OPTS_KEY + CFG_NFIELDS)
		return ARGP_ERR_UNKNOWN;
	f = &run_config_fields[key - RUN_OPTS_KEY];
	if (f->kind == CFG_KIND_RULES) {
		/* the injection rules: checked here, kept as given */
		if (o->nrules == MAX_RULES) {
			snprintf(why, sizeof(why), "at most %d rules", MAX_RULES);
			return cli_bad_value(state, f->opt, arg, why);
		}
		if (parse_inject_rule(arg, &o->rules[o->nrules], why,
				      sizeof(why)))
			return cli_usage_error(state, "%s", why);
		o->nrules++;
	}
	if (cfg_parse(&o->cfg, f, arg, why, sizeof(why)))
		return cli_bad_value(state, f->opt, arg ? arg : "", why);
	o->given[key - RUN_OPTS_KEY] = true;
	return 0;
}

const struct argp *run_opts_argp(void)
{
	static struct argp argp = {
		.options = options,
		.parser = run_opts_parse,
	};
	struct run_config d;

	if (options[0].name)
		return &argp;
	run_config_default(&d);
	for (unsigned int i = 0; i < CFG_NFIELDS; i++) {
		const struct cfg_field *f = &run_config_fields[i];

		option_doc(f, &d, docs[i], sizeof(docs[i]));
		options[i] = (struct argp_option){
			.name = f->opt,
			.key = RUN_OPTS_KEY + (int)i,
			.arg = f->kind == CFG_KIND_BOOL ? NULL : f->arg,
			.doc = docs[i],
		};
	}
	return &argp;
}
