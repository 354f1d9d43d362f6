# SPDX-License-Identifier: GPL-2.0-only
#
# rmibench plots. Run through scripts/plot, which passes the report
# directory (ARG1), a file of facts about its runs (ARG2: NRUNS, NGROUPS,
# NEXCL, NTEAR, COMMON, DIMS, RLABEL[], RSTRAT[], RGROUP[], REXCL[],
# ROUTC[], RMARK[], RSNAME[], GLABEL[], GTIC[], GEXCL[], GTEAR[], STRATS,
# BACKEND, ASSUMED, ...) and the
# directory to draw into (ARG3; scripts/plot renames the PNGs into ARG1).
#
# Inputs: ARG1/runs.tsv, ARG1/latency.tsv (columns named in their header
# line, see results/README.md). Outputs: the PNGs.
#
# A run whose realm was killed or livelocked before its workload was done,
# or whose model broke (runs.tsv `excluded` 1), is left out of every ratio
# and latency and marked where it would have been ("X" and its outcome
# class, in red). A run whose workload ran to its end and which failed at
# teardown (runs.tsv `mark`, "leak at teardown") is drawn, its figures
# being from before teardown, and marked with that text in red on its bar.

dir = ARG1
load ARG2
odir = ARGC >= 3 ? ARG3 : dir

runs = dir . '/runs.tsv'
lat = dir . '/latency.tsv'

set datafile separator tab
set datafile columnheaders
set datafile missing ''

# pngcairo if this gnuplot has it (Debian's gnuplot-nox does), else png
TERM = strstrt(GPVAL_TERMINALS, 'pngcairo') > 0 ? 'pngcairo' : 'png'
FONT = TERM eq 'pngcairo' ? 'sans,10' : 'arial,9'
W = 1000
H = 620
out(name, w, h) = sprintf('set terminal %s size %d,%d font "%s" noenhanced; set output "%s/%s"', TERM, w, h, FONT, odir, name)

# one colour per strategy, the same in every plot
scolor(s) = s == 0 ? '#d95f02' : s == 1 ? '#1b9e77' : '#7570b3'
# (the strategies' names as the tables and result files have them)
sname(s) = s == 0 ? 'full' : s == 1 ? 'one-level' : 'block'
RED = '#c00000'
spt(s) = s == 0 ? 7 : s == 1 ? 5 : 9
NS = words(STRATS)
strat(i) = word(STRATS, i) + 0

# what every plot says under its title: the backend, what all runs
# share, what is left out
EXCL_NOTE = (NEXCL > 0 ? sprintf('X: %d run%s excluded: the realm was killed or livelocked before the workload was done', NEXCL, NEXCL > 1 ? 's' : '') : '') . (NEXCL > 0 && NTEAR > 0 ? '   -   ' : '') . (NTEAR > 0 ? sprintf('T: %d run%s failed at teardown, after the workload: drawn, hatched', NTEAR, NTEAR > 1 ? 's' : '') : '')
COUNTS_NOTE = sprintf('backend: %s   -   counts are exact (independent of the cost model)', BACKEND)
if (ASSUMED > 0 && CALIBRATED == 0) {
	LAT_NOTE = sprintf('backend: %s   -   modelled with the ASSUMED default cost table: illustrative, not measured', BACKEND)
} else {
	if (ASSUMED > 0) {
		LAT_NOTE = sprintf('backend: %s   -   modelled: %d runs with the ASSUMED cost table (illustrative), %d calibrated', BACKEND, ASSUMED, CALIBRATED)
	} else {
		LAT_NOTE = sprintf('backend: %s   -   modelled with calibrated costs', BACKEND)
	}
}
# title, two lines under it (what ran, what it means) as labels a fixed
# number of pixels from the top, and the key under them
# (what is excluded or failed at teardown on a third line, under them)
head(t, s1, s2, h) = sprintf('set label 97 "%s" at screen 0.5, screen %f center font ",13"; set label 98 "%s" at screen 0.5, screen %f center font ",9" textcolor rgb "#333333"; set label 99 "%s" at screen 0.5, screen %f center font ",9" textcolor rgb "#555555"; set label 96 "%s" at screen 0.5, screen %f center font ",9" textcolor rgb RED; set key at screen 0.5, screen %f center top', t, 1 - 20.0 / h, s1, 1 - 40.0 / h, s2, 1 - 56.0 / h, EXCL_NOTE, 1 - 72.0 / h, 1 - (EXCL_NOTE eq '' ? 68.0 : 84.0) / h)

set tmargin 9
set key horizontal samplen 2 spacing 1.1 font ',9' noautotitle
set grid ytics lc rgb '#dddddd' lw 1
set border 3
set xtics nomirror scale 0
set ytics nomirror

# ---- clustered bars: one cluster per group, one bar per strategy --------
BW = 0.8 / NS
xoff(i) = (i - 1 - (NS - 1) / 2.0) * BW
# group labels along x, wrapped (scripts/plot) to the width of a group,
# which is wide enough for its bars and the longest word of a label
set xtics ()
do for [g = 1:NGROUPS] {
	set xtics add (GTIC[g] g - 1)
}
set xtics norotate
set bmargin GLINES + 3
set lmargin 11
set xrange [-0.6 : NGROUPS - 0.4]
set boxwidth BW * 0.92 absolute
# value labels over the bars, turned upright when the bars are narrow
BARPX = (BARW - 200.0) / NGROUPS * BW
VALROT = BARPX < 48 ? 'rotate by 90 left offset 0, 0.4' : 'center offset 0, 0.6'
set style fill solid 0.85 border lc rgb '#333333'
pos(v) = v > 0 ? v : NaN
lbl(v) = v >= 100 ? sprintf('%.0f', v) : v >= 10 ? sprintf('%.1f', v) : sprintf('%.2f', v)
VALFONT = BARPX < 20 ? ',6' : ',8'
set logscale y
set format y '%.0s%c'
# 1-2-5 tics, so that a narrow log range still has labelled ones
ytl(v) = v < 1 ? sprintf('%g', v) : gprintf('%.0s%c', v)
set ytics ()
do for [e = -2:8] {
	set ytics add (ytl(10.0**e) 10.0**e, ytl(2 * 10.0**e) 2 * 10.0**e, ytl(5 * 10.0**e) 5 * 10.0**e)
}
# a log axis from below the smallest bar (so that it shows) to well above
# the largest (room for its label); fixed, so that no bars is no error
logrange(lo, hi) = lo > 0 ? sprintf('set yrange [%g:%g]', lo / 2.0, hi * 8.0) : 'set yrange [0.5:10]'
ybottom(lo) = lo > 0 ? lo / 2.0 * 1.15 : 0.6
# a bar of strategy i: its x if the run is of it and counts (not excluded)
barx(i) = column('strategy_idx') == strat(i) && column('excluded') == 0 ? column('group_idx') + xoff(i) : NaN
# where an excluded run of strategy i would have stood
exclx(i) = column('strategy_idx') == strat(i) && column('excluded') == 1 ? column('group_idx') + xoff(i) : NaN
excltext(x) = 'X ' . strcol('outcome_class')
# the marks of excluded runs, only when there are some (gnuplot 5.4 can
# crash on a labels plot without a single point)
XBARS = NEXCL > 0 ? ", for [i = 1:NS] runs using (exclx(i)):(YB):(excltext(0)) with labels rotate by 90 left font ',8' textcolor rgb RED notitle" : ''
# a run that failed at teardown: its bar again, hatched in red
sidx(s) = s == strat(1) ? 1 : NS > 1 && s == strat(2) ? 2 : 3
tearx(d) = strcol('mark') ne '' ? column('group_idx') + xoff(sidx(column('strategy_idx'))) : NaN
tbars(c) = NTEAR > 0 ? sprintf(", runs using (tearx(0)):(pos(column('%s'))) with boxes fs transparent pattern 4 border lc rgb RED lw 1.5 lc rgb RED title 'T: failed at teardown'", c) : ''
TRUNS = NTEAR > 0 ? ", runs using (strcol('mark') ne '' ? column('run') - 1 : NaN):((column('mapped_l1') + column('mapped_l2') + column('mapped_l3')) / UNIT) with boxes fs transparent pattern 4 border lc rgb RED lw 1.5 lc rgb RED title 'T: failed at teardown', runs using (strcol('mark') ne '' ? column('run') - 1 : NaN):(MTOP * 0.02):('T ' . strcol('mark')) with labels rotate by 90 left font ',8' textcolor rgb RED notitle" : ''
XRUNS = NEXCL > 0 ? ", runs using (column('excluded') == 1 ? column('run') - 1 : NaN):(MTOP * 0.02):(excltext(0)) with labels rotate by 90 left font ',8' textcolor rgb RED notitle" : ''

# (a) RMI calls per fault
eval out('calls-per-fault.png', BARW, H + GLINES * 14)
eval head('RMI calls per stage-2 fault (fault path), by RTT strategy', COMMON, COUNTS_NOTE, H + GLINES * 14)
eval logrange(MINCPF, MAXCPF)
YB = ybottom(MINCPF)
# (under the group labels: gnuplot makes room for one line of them)
set xlabel 'group: ' . DIMS offset 0, -(GLINES - 1)
# a vCPU that faults on a folio another vCPU is mapping re-faults: one
# more fault of few calls, which lowers the ratio with more vCPUs
set ylabel 'RMI calls per fault, re-faults included (log scale)'
TB = tbars('rmi_calls_per_fault')
plot for [i = 1:NS] runs \
	using (barx(i)):(pos(column('rmi_calls_per_fault'))) \
	with boxes lc rgb scolor(strat(i)) title sname(strat(i)), \
     for [i = 1:NS] runs \
	using (barx(i)):(pos(column('rmi_calls_per_fault'))):(lbl(column('rmi_calls_per_fault'))) \
	with labels @VALROT font VALFONT notitle @XBARS @TB

# (b) RTT pages per GiB mapped
eval out('rtt-pages-per-gib.png', BARW, H + GLINES * 14)
eval head('RTT pages per GiB mapped, by RTT strategy', COMMON, COUNTS_NOTE . '   -   no bar: 0', H + GLINES * 14)
eval logrange(MINRPG, MAXRPG)
YB = ybottom(MINRPG)
set ylabel 'live RTT pages per GiB mapped (log scale)'
TB = tbars('rtt_pages_per_gib')
plot for [i = 1:NS] runs \
	using (barx(i)):(pos(column('rtt_pages_per_gib'))) \
	with boxes lc rgb scolor(strat(i)) title sname(strat(i)), \
     for [i = 1:NS] runs \
	using (barx(i)):(pos(column('rtt_pages_per_gib'))):(lbl(column('rtt_pages_per_gib'))) \
	with labels @VALROT font VALFONT notitle @XBARS @TB
unset logscale y
set format y '%g'
set ytics autofreq

# ---- (c) bytes mapped per level, one stacked bar per run ------------------
UNIT = MAXMAPPED >= 2**30 ? 2**30 : MAXMAPPED >= 2**20 ? 2**20 : 2**10
UNAME = UNIT == 2**30 ? 'GiB' : UNIT == 2**20 ? 'MiB' : 'KiB'
RUNW = NRUNS * 42 + 220
if (RUNW < W) { RUNW = W }
MH = H + 60 + MAXRL * 0.3 * 14
eval out('mapped-bytes.png', RUNW, MH)
eval head('Bytes mapped per stage-2 level, per run (before teardown)', COMMON, COUNTS_NOTE . (NEXCL > 0 ? '   -   X: what was mapped when the realm died' : ''), MH)
set xtics ()
do for [r = 1:NRUNS] {
	set xtics add (RLABEL[r] r - 1)
}
set xtics rotate by 40 right font ',9'
# (a label rotated by 40 reaches down sin 40 of its length and left cos 40
# of it: the first one from its tic, less than a bar from the axis; in
# character cells of about 7 by 14 pixels; the page grows by what the
# labels take)
set bmargin 3 + MAXRL * 0.3
set lmargin (FIRSTRL * 0.77 - 3 > 11 ? FIRSTRL * 0.77 - 3 : 11)
set xrange [-0.7 : NRUNS - 0.3]
set boxwidth 0.7 absolute
# (its axis label at the foot of the page: gnuplot puts it over rotated
# labels)
unset xlabel
set label 95 'run: strategy, then ' . DIMS at screen 0.5, screen 18.0 / MH center
set ylabel sprintf('mapped (%s)', UNAME)
set yrange [0:*]
MTOP = MAXMAPPED > 0 ? MAXMAPPED / UNIT : 1
set yrange [0:MTOP * 1.12]
plot runs using (column('run') - 1):((column('mapped_l1') + column('mapped_l2') + column('mapped_l3')) / UNIT) \
	with boxes lc rgb '#a6cee3' title 'L3: 4 KiB pages', \
     runs using (column('run') - 1):((column('mapped_l1') + column('mapped_l2')) / UNIT) \
	with boxes lc rgb '#1f78b4' title 'L2: 2 MiB blocks', \
     runs using (column('run') - 1):(column('mapped_l1') / UNIT) \
	with boxes lc rgb '#08306b' title 'L1: 1 GiB blocks' @XRUNS @TRUNS

# ---- (d) fault latency distribution: one panel per group ------------------
# Small multiples: a panel per group (the runs that differ only in
# strategy), a line per strategy in it, named in the panel's key; runs
# excluded are named in the panel's title instead, and runs that failed
# at teardown (drawn) on a line under it.
unset label 95
unset label 96
unset label 97
unset label 98
unset label 99
COLS = NGROUPS <= 2 ? NGROUPS : NGROUPS <= 4 ? 2 : NGROUPS <= 9 ? 3 : 4
ROWS = (NGROUPS + COLS - 1) / COLS
PW = 400
# (a second line in a panel's title when a run in it failed at teardown)
TL = NTEAR > 0 ? 16 : 0
PH = 290 + TL
LW = COLS * PW + 40
LH = ROWS * PH + 145 + TL
if (LW < 1000) { LW = 1000 }
eval out('latency.png', LW, LH)
set xtics norotate font ',8'
set ytics font ',8'
# 1-2-5 time tics, so that a narrow range still has labelled ones
tl(v) = v >= 1e9 ? sprintf('%g s', v / 1e9) : v >= 1e6 ? sprintf('%g ms', v / 1e6) : v >= 1e3 ? sprintf('%g us', v / 1e3) : sprintf('%g ns', v)
set xtics ()
LDEC = log10(LATHI * 3) - log10(LATLO / 3)
do for [e = 0:10] {
	set xtics add (tl(10.0**e) 10.0**e)
	if (LDEC < 2.5) {
		set xtics add (tl(2 * 10.0**e) 2 * 10.0**e, tl(5 * 10.0**e) 5 * 10.0**e)
	}
}
set mxtics 10
set logscale x 10
# the same time axis in every panel: the buckets of the runs shown
set xrange [LATLO / 3 : LATHI * 3]
set yrange [0:105]
set grid xtics ytics lc rgb '#e4e4e4'
set xlabel 'modelled fault latency (log2 buckets)' font ',8' offset 0, 0.5
set ylabel '% of faults' font ',8' offset 1.5, 0
unset key
unset bmargin
unset tmargin
mid(b) = b == 0 ? 1 : sqrt(2.0**b * 2.0**(b + 1))
# equal curves lie on each other: the first strategy widest, the last
# narrowest, so that every one shows
slw(i) = 1.5 + 2.5 * (NS - i)
TOP = 1.0 - (135.0 + TL) / LH
BOT = 50.0 / LH
MTITLE = sprintf("Fault latency distribution (modelled): a panel per group, a line per strategy\n%s\n%s", COMMON, LAT_NOTE)
set multiplot layout ROWS, COLS title MTITLE font ',11' margins 0.06, 0.98, BOT, TOP spacing 0.07, (80.0 + TL) / LH
do for [g = 1:NGROUPS] {
	set title (GEXCL[g] eq '' ? GLABEL[g] : GLABEL[g] . '   (X ' . GEXCL[g] . ': not shown)') . (GTEAR[g] eq '' ? '' : "\nT " . GTEAR[g]) font ',9' textcolor rgb (GEXCL[g] eq '' && GTEAR[g] eq '' ? '#000000' : RED)
	# one key for all panels, under the page title: the strategies in
	# their colours (a panel is too narrow for a key of its own)
	if (g == 1) {
		do for [i = 1:NS] {
			eval sprintf('set label %d "\342\224\201\342\224\201 %s" at screen %f, screen %f center font ",10" textcolor rgb "%s"', 90 + i, sname(strat(i)), 0.5 + (i - (NS + 1) / 2.0) * 0.16, 1.0 - 76.0 / LH, scolor(strat(i)))
		}
		set label 89 "(equal curves lie on each other, the first named widest)" at screen 0.5, screen 1.0 - 92.0 / LH center font ",8" textcolor rgb "#555555"
	} else {
		do for [i = 1:NS] {
			eval sprintf('unset label %d', 90 + i)
		}
		unset label 89
	}
	plot for [i = 1:NS] for [r = 1:NRUNS] lat \
		using (column('run') == r && RSTRAT[r] == strat(i) && RGROUP[r] == g - 1 && REXCL[r] == 0 ? mid(column('bucket')) : NaN):(100 * column('model_frac')) \
		with linespoints lw slw(i) pt spt(strat(i)) ps 0.6 lc rgb scolor(strat(i)) notitle
}
unset multiplot
unset output
