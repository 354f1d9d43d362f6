# SPDX-License-Identifier: GPL-2.0-only
#
# The heat map of an injection matrix (`rmibench inject-matrix`, which
# runs it as: gnuplot -c inject-heatmap.gp TSV PNG NROWS NCOLS).
#
# Input: TSV = DIR/heatmap.tsv, one line per cell, tab-separated, with a
# header line: x (column index), y (row index), class_idx (0 crash ..
# 8 not-reached, most severe first), class, row (its label), column (its
# label). Output: PNG, one square per cell coloured by its class; rows
# top down in the matrix's order, columns left to right; no square where
# the matrix has no cell.

tsv = ARG1
png = ARG2
NR = ARG3 + 0
NC = ARG4 + 0

set datafile separator tab
set datafile columnheaders

TERM = strstrt(GPVAL_TERMINALS, 'pngcairo') > 0 ? 'pngcairo' : 'png'
FONT = TERM eq 'pngcairo' ? 'sans,9' : 'arial,8'
ROWH = 15
COLW = 96
W = 450 + NC * COLW
H = 250 + NR * ROWH
if (W < 640) { W = 640 }
eval sprintf('set terminal %s size %d,%d font "%s" noenhanced', TERM, W, H, FONT)
set output png

# the classes, most severe first: dark and warm to light and green
array CNAME[9] = ['crash', 'invariant', 'livelock', 'leak', 'killed', \
		  'warn', 'guest-error', 'recovered', 'not-reached']
array CCOL[9] = ['#000000', '#7b3294', '#b2182b', '#e66101', '#fdb863', \
		 '#ffff99', '#92c5de', '#1a9641', '#d9d9d9']
set palette defined (0 '#000000', 1 '#7b3294', 2 '#b2182b', 3 '#e66101', \
		     4 '#fdb863', 5 '#ffff99', 6 '#92c5de', 7 '#1a9641', \
		     8 '#d9d9d9')
set palette maxcolors 9
set cbrange [-0.5:8.5]
unset colorbox

set lmargin at screen 340.0 / W
set rmargin at screen 1 - 110.0 / W
set tmargin at screen 1 - 150.0 / H
set bmargin at screen 90.0 / H
set label 1 'RMI error injection: what each run came to' at screen 0.5, \
	screen 1 - 18.0 / H center font ',13'
set label 2 'rows: command, status, trigger (first call, the middle call, from it on); columns: kernel/strategy/delegation' \
	at screen 0.5, screen 1 - 36.0 / H center font ',9' textcolor rgb '#555555'

set xrange [-0.5 : NC - 0.5]
set x2range [-0.5 : NC - 0.5]
set yrange [NR - 0.5 : -0.5]
unset xtics
set x2tics rotate by 35 left scale 0 font ',9'
set ytics scale 0 font ',8'
set grid noxtics noytics
set border 0

set key outside bottom center horizontal samplen 1.2 width 1 font ',9'
set style fill solid 1.0 noborder

plot tsv using 1:2:(0.47):(0.47):3:x2tic(6):ytic(5) axes x2y1 \
	with boxxyerror lc palette notitle, \
     for [k = 1:9] NaN with boxes lc rgb CCOL[k] title CNAME[k]
