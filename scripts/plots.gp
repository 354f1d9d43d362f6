# SPDX-License-Identifier: GPL-2.0-only
#
# rmibench plots. Run through scripts/plot, which passes the report
# directory (ARG1) and a file of facts about its runs (ARG2: NRUNS,
# NGROUPS, RLABEL[], RSTRAT[], GLABEL[], STRATS, BACKEND, ASSUMED, ...).
#
# Inputs: ARG1/runs.tsv, ARG1/latency.tsv (columns named in their header
# line, see results/README.md). Outputs: ARG1/*.png.

dir = ARG1
load ARG2

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
# the PNGs go to ARG3 (scripts/plot renames them into ARG1 when all are drawn)
odir = ARGC >= 3 ? ARG3 : dir
out(name, w, h) = sprintf('set terminal %s size %d,%d font "%s" noenhanced; set output "%s/%s"', TERM, w, h, FONT, odir, name)

# one colour per strategy, the same in every plot
scolor(s) = s == 0 ? '#d95f02' : s == 1 ? '#1b9e77' : '#7570b3'
srgb(s) = s == 0 ? 0xd95f02 : s == 1 ? 0x1b9e77 : 0x7570b3
sname(s) = s == 0 ? 'full (v14)' : s == 1 ? 'one-level (v15)' : 'block-aware'
NS = words(STRATS)
strat(i) = word(STRATS, i) + 0

# what every plot says under its title
COUNTS_NOTE = sprintf('backend: %s   -   counts are exact (they do not depend on the cost model)', BACKEND)
if (ASSUMED > 0 && CALIBRATED == 0) {
	LAT_NOTE = sprintf('backend: %s   -   modelled with the ASSUMED default cost table: illustrative, not measured', BACKEND)
} else {
	if (ASSUMED > 0) {
		LAT_NOTE = sprintf('backend: %s   -   modelled: %d runs with the ASSUMED cost table (illustrative), %d calibrated', BACKEND, ASSUMED, CALIBRATED)
	} else {
		LAT_NOTE = sprintf('backend: %s   -   modelled with calibrated costs', BACKEND)
	}
}
# title and subtitle as labels, a fixed number of pixels from the top
# and the key under them
head(t, s, h) = sprintf('set label 98 "%s" at screen 0.5, screen %f center font ",13"; set label 99 "%s" at screen 0.5, screen %f center font ",9" textcolor rgb "#555555"; set key at screen 0.5, screen %f center top', t, 1 - 20.0 / h, s, 1 - 42.0 / h, 1 - 54.0 / h)

set tmargin 7
set key horizontal samplen 2 spacing 1.1 font ',9' noautotitle
set grid ytics lc rgb '#dddddd' lw 1
set border 3
set xtics nomirror scale 0
set ytics nomirror

# ---- clustered bars: one cluster per group, one bar per strategy --------
BW = 0.8 / NS
xoff(i) = (i - 1 - (NS - 1) / 2.0) * BW
# group labels along x, rotated when they would not fit side by side
set xtics ()
do for [g = 1:NGROUPS] {
	set xtics add (GLABEL[g] g - 1)
}
BARW = NGROUPS * (NS * 26 + 30) + 200
if (BARW < W) { BARW = W }
if (MAXGL * 7 > (BARW - 200) / NGROUPS) {
	set xtics rotate by 30 right
	BMARGIN = 4 + MAXGL * 0.5
} else {
	set xtics norotate
	BMARGIN = 4
}
set bmargin BMARGIN
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
# a log axis from below the smallest bar (so that it shows) to well above
# the largest (room for its label); fixed, so that no bars is no error
logrange(lo, hi) = lo > 0 ? sprintf('set yrange [%g:%g]', lo / 2.0, hi * 8.0) : 'set yrange [0.5:10]'

# (a) RMI calls per fault
eval out('calls-per-fault.png', BARW, H)
eval head('RMI calls per stage-2 fault, by RTT strategy', COUNTS_NOTE, H)
eval logrange(MINCPF, MAXCPF)
set xlabel 'the settings that differ between the runs (profile, folio, vCPUs, ...)'
set ylabel 'RMI calls per fault (log scale)'
plot for [i = 1:NS] runs \
	using (column('strategy_idx') == strat(i) ? column('group_idx') + xoff(i) : NaN):(pos(column('rmi_calls_per_fault'))) \
	with boxes lc rgb scolor(strat(i)) title sname(strat(i)), \
     for [i = 1:NS] runs \
	using (column('strategy_idx') == strat(i) ? column('group_idx') + xoff(i) : NaN):(pos(column('rmi_calls_per_fault'))):(lbl(column('rmi_calls_per_fault'))) \
	with labels @VALROT font VALFONT notitle

# (b) RTT pages per GiB mapped
eval out('rtt-pages-per-gib.png', BARW, H)
eval head('RTT pages per GiB mapped, by RTT strategy', COUNTS_NOTE . '   -   a missing bar is 0', H)
eval logrange(MINRPG, MAXRPG)
set ylabel 'live RTT pages per GiB mapped (log scale)'
plot for [i = 1:NS] runs \
	using (column('strategy_idx') == strat(i) ? column('group_idx') + xoff(i) : NaN):(pos(column('rtt_pages_per_gib'))) \
	with boxes lc rgb scolor(strat(i)) title sname(strat(i)), \
     for [i = 1:NS] runs \
	using (column('strategy_idx') == strat(i) ? column('group_idx') + xoff(i) : NaN):(pos(column('rtt_pages_per_gib'))):(lbl(column('rtt_pages_per_gib'))) \
	with labels @VALROT font VALFONT notitle
unset logscale y
set format y '%g'

# ---- (c) bytes mapped per level, one stacked bar per run ------------------
UNIT = MAXMAPPED >= 2**30 ? 2**30 : MAXMAPPED >= 2**20 ? 2**20 : 2**10
UNAME = UNIT == 2**30 ? 'GiB' : UNIT == 2**20 ? 'MiB' : 'KiB'
RUNW = NRUNS * 42 + 220
if (RUNW < W) { RUNW = W }
eval out('mapped-bytes.png', RUNW, H + 60)
eval head('Bytes mapped per stage-2 level, per run (before teardown)', COUNTS_NOTE, H + 60)
set xtics ()
do for [r = 1:NRUNS] {
	set xtics add (RLABEL[r] r - 1)
}
set xtics rotate by 40 right font ',9'
set bmargin 3 + MAXRL * 0.4
set xrange [-0.7 : NRUNS - 0.3]
set boxwidth 0.7 absolute
set xlabel 'run (strategy, then the settings that differ)'
set ylabel sprintf('mapped (%s)', UNAME)
set yrange [0:*]
plot runs using (column('run') - 1):((column('mapped_l1') + column('mapped_l2') + column('mapped_l3')) / UNIT) \
	with boxes lc rgb '#a6cee3' title 'L3: 4 KiB pages', \
     runs using (column('run') - 1):((column('mapped_l1') + column('mapped_l2')) / UNIT) \
	with boxes lc rgb '#1f78b4' title 'L2: 2 MiB blocks', \
     runs using (column('run') - 1):(column('mapped_l1') / UNIT) \
	with boxes lc rgb '#08306b' title 'L1: 1 GiB blocks'

# ---- (d) fault latency distribution -----------------------------------------
eval out('latency.png', W + 200, H + 40)
eval head('Fault latency distribution (modelled), log2 buckets', LAT_NOTE, H + 40)
set xtics norotate font ''
set bmargin 4
set xtics ('1 us' 1e3, '10 us' 1e4, '100 us' 1e5, '1 ms' 1e6, '10 ms' 1e7, '100 ms' 1e8, '1 s' 1e9, '10 s' 1e10, '100 ns' 1e2, '10 ns' 10)
set mxtics 10
set logscale x 10
set xrange [*:*]
set yrange [0:105]
set xlabel 'fault latency (bucket [2^i, 2^(i+1)) ns, plotted at its geometric middle)'
set ylabel '% of the run''s faults'
set key outside right top vertical Left reverse samplen 3 spacing 1.1 width 1 font ',8'
mid(b) = b == 0 ? 1 : sqrt(2.0**b * 2.0**(b + 1))
dtn(r) = 1 + r % 4
if (NRUNS <= 12) {
	# a line per run; dash type tells the runs of one strategy apart
	plot for [r = 1:NRUNS] lat \
		using (column('run') == r ? mid(column('bucket')) : NaN):(100 * column('model_frac')) \
		with linespoints lw 2 pt 7 ps 0.6 dt dtn(r) lc rgb scolor(RSTRAT[r]) title RLABEL[r]
} else {
	# too many runs to name: a line per run, colour and dash type by
	# strategy, so that equal curves of two strategies both show
	plot for [i = 1:NS] for [r = 1:NRUNS] lat \
		using (column('run') == r && column('strategy_idx') == strat(i) ? mid(column('bucket')) : NaN):(100 * column('model_frac')) \
		with linespoints lw 1.5 pt 7 ps 0.5 dt i lc rgb scolor(strat(i)) notitle, \
	     for [i = 1:NS] keyentry with linespoints lw 1.5 pt 7 dt i lc rgb scolor(strat(i)) title sname(strat(i))
}
unset output
