"""Sudoku: complete a 4x4, 6x6 or 9x9 grid that has exactly one solution.

The answer comes first: a full grid is drawn from a set of random seed grids and
shuffled by the Sudoku symmetries (relabel digits, permute rows within bands and
bands, columns within stacks and stacks, transpose). Cells are then dug out in a
random order, each only if the remaining puzzle can still be solved by naked and
hidden singles alone (checked directly, then by replaying a singles solve for the
deepest levels). So every puzzle has a unique solution, and the singles path that
proves it is the worked solution.
"""

from __future__ import annotations

import math
import random

from ..registry import Draft, Knobs, family
from ..types import Answer

# knobs: size is the side of the grid (4, 6 or 9); empties is how many cells are blank
LEVELS = [
    dict(size=4, empties=7),
    dict(size=4, empties=10),
    dict(size=6, empties=16),
    dict(size=6, empties=19),
    dict(size=6, empties=22),
    dict(size=9, empties=38),
    dict(size=9, empties=42),
    dict(size=9, empties=46),
    dict(size=9, empties=50),
    dict(size=9, empties=53),
]

# Full grids made offline by randomised backtracking, row by row. The 4x4 seeds cover
# both essentially different 4x4 grids, so their orbit is all 288 of them.
_SEEDS = {
    4: """
3124421324311342 1243341221344321 4321123431422413 3421123421434312 4132321423411423 3241142323144132
1432234131244213 3124423113422413
""",
    6: """
513246462315326154154623235461641532 514362263415145623632154421536356241 251463364521642315513246125634436152
541236632451153624264315425163316542 315246642315421653536421253164164532 364152521643416235235461652314143526
532614416235341562625143263451154326 654231231465125643463512342156516324 263541154362425613316254631425542136
134562256431562314413256321645645123 612453534621346215125364461532253146 241563365124523641614352436215152436
132465546321615243423156364512251634 142536356214463152215463534621621345 352461614352563124241635426513135246
524613361452215346643521156234432165 614235325146146352253614561423432561 426135135426264513351642643251512364
342516615234261453534162126345453621 125463643512312645564321451236236154 142563356412423156615234261345534621
256134413652365421124563531246642315 625314431265162543354126516432243651 536214214563453126621435165342342651
153462642531321645465123536214214356 651432423561512346346125235614164253 643152215436156243324615561324432561
651432243516132654465123314265526341 516243342156421365635421263514154632 261354453126325641146235512463634512
253146641532312654465321134265526413 253146641352132564564231415623326415
""",
    9: """
869742315512683794734519826691437258348295671275861943956374182487126539123958467
684739251257418963193562874876351429319624785542987316965273148428195637731846592
294781635673254981851963742329178456586429317147536298935617824462895173718342569
891635247675124983423879156147593628286417395359286714712348569534961872968752431
879326145542781396316594287657148932294653871183279564761932458435817629928465713
123865794675439182498217563912648357546371829837952641359126478264783915781594236
297614385351298467864537192529163874138745629746829513485971236673482951912356748
348259761572316948196478532734162895861935427925847613457621389283594176619783254
489361572651287493327459816573916248964528137812734659738142965196875324245693781
435967821871245369269183547324571986596328174718496235657839412143652798982714653
728649153615382497349175628281536749453927816967418532194863275832754961576291384
493125876652837941718649352164978235937452618825316497281794563346581729579263184
368249751541867923297351864782634519936125487415798632854913276673482195129576348
517346829482957136963812574648731952139285467275469381396524718824173695751698243
425839617796124835183765924549376182271598463368241579812453796657912348934687251
921845763536729841748631952164573289375298416289416375897162534412357698653984127
487596132596132478132487695823914756714865329659273841348659217971328564265741983
841679532256831479739245186524193867673528914918764253167952348482316795395487621
976182543428653791351794862613425978592837614784961325145379286267548139839216457
453971682198462573672358941819534726764829315325716894531297468247683159986145237
285976314697431582431825679916342758574689231328157496159764823862513947743298165
174592386396178542825634197761359824249781653538246971917465238653827419482913765
824965137937128465561734829719352648385476291246891573672519384198643752453287916
452876139976213485183549276694725813217398654538164792729451368861932547345687921
164572983329846751785193426978251634256734819431968275543687192892415367617329548
617329458298154367453786219725648193836291574941573826164932785582467931379815642
137429586862735491459861327685347912941258673273916845718693254394572168526184739
324857961971643528865912473159376284648291357237485196412769835596138742783524619
735812694291674853486935127128367945947581236653249718319758462862493571574126389
871465932594723618236891475423189756185672349769534281918247563642358197357916824
382564791917283456645179823234798615761345982598621374159437268823916547476852139
492781536538426197617935284756148923321697458849253671964872315183569742275314869
859613472431872956672945831126398745347521698985467123293184567514736289768259314
513894672746132598298756413961573824387241965452968137635417289129385746874629351
915374862248196375673258914891732546352649187764815293586927431439561728127483659
934162857857394612162758493391526748748931526526487931283645179419873265675219384
675319842149728653328465197412973586537186429986542731863257914251694378794831265
714325968362189475985467321598736142623841759471952683847513296239678514156294837
382569147654271839791438625873946512946152378215387496128694753437825961569713284
291683547468957132735142896623891475547326918189475263312564789956718324874239651
659142738827963145413785962578314296132596874964278513395421687746859321281637459
925873641478261539361594872289635417534187926716942385697418253853726194142359768
459872136628531749713694528294365871136728495587149263975486312361257984842913657
529847613843916527617523984786495231435172869192638475278354196351269748964781352
813624759564937182792815634241369578675482913389571426936158247457293861128746395
562391874394867251817452639739685142245179386186234597451728963923546718678913425
625379481438621957179584632586213749317498526294756813763145298852937164941862375
672981534598643712413275968185324679947856321236719845321597486869432157754168293
761459832452378619893261574648597123539124768127683495216945387374812956985736241
416875329728349651539162487961257843842936715357418962295784136174623598683591274
936875142457291386821364957598743621172586439643912875265439718714658293389127564
756431928912867345843925176274396581189254763635718492568179234427583619391642857
751392468432186975968457231295831746376245189814679352527964813143528697689713524
457216938689743152321895476762381594548679213913524687136458729875962341294137865
283964751467251893915387426896435217751829364342176589529643178674518932138792645
463275189927418635158396427736154298219783564584629371645937812891562743372841956
284961375657283194139475682928134756471856923563792418316529847745618239892347561
954386217326517894871429635597834162243961758618275349432658971189743526765192483
438127569965438172172956348749612853681375294253894617896241735327569481514783926
128567934674239518395841672583724196467915823912683745859472361741356289236198457
675381924329645817814729356283914765751863492946257183167538249492176538538492671
598632714316947258274815396731594682945286173862371549629158437187423965453769821
648579312913462857275318496597124638461783529382695174159847263826931745734256981
753142689429386571186759243294531867871264395365978412942815736617423958538697124
""",
}

NAKED, HIDDEN_ROW, HIDDEN_COL, HIDDEN_BOX = range(1, 5)  # why a cell is forced
_BOX = {4: (2, 2), 6: (2, 3), 9: (3, 3)}
_WORDS = {4: "four", 6: "six", 9: "nine"}


class _Geometry:
    """Bitmask tables for one grid size: cell i is bit i, a unit is the mask of its cells."""

    def __init__(self, n: int) -> None:
        br, bc = _BOX[n]
        self.n, self.br, self.bc, self.cells = n, br, bc, n * n
        rows = [sum(1 << (r * n + c) for c in range(n)) for r in range(n)]
        cols = [sum(1 << (r * n + c) for r in range(n)) for c in range(n)]
        boxes = [
            sum(1 << ((r0 + i) * n + c0 + j) for i in range(br) for j in range(bc))
            for r0 in range(0, n, br)
            for c0 in range(0, n, bc)
        ]
        self.units = []  # per cell: (row mask, column mask, box mask)
        self.peers = []  # per cell: mask of the other cells sharing a unit
        for i in range(n * n):
            r, c = divmod(i, n)
            us = (rows[r], cols[c], boxes[(r // br) * (n // bc) + c // bc])
            self.units.append(us)
            self.peers.append((us[0] | us[1] | us[2]) & ~(1 << i))
        self.seeds = [[int(ch) for ch in s] for s in _SEEDS[n].split()]
        self.digits = range(1, n + 1)
        self.names = [f"r{i // n + 1}c{i % n + 1}" for i in range(n * n)]
        self.every: list[tuple[int, ...]] | None = None
        self.lines: list[list[list[str]]] | None = None
        # enough random bits that Fisher-Yates by repeated divmod is uniform to within 2**-64
        self.perm_bits = math.factorial(n * n).bit_length() + 64


_GEOMETRY = {n: _Geometry(n) for n in _BOX}


def _all_grids(g: _Geometry) -> list[tuple[int, ...]]:
    """Every grid of this size, in lexicographic order (used for 4x4: there are 288)."""
    if g.every is None:
        n, peers, out, cells = g.n, g.peers, [], [0] * g.cells

        def fill(i: int) -> None:
            if i == g.cells:
                out.append(tuple(cells))
                return
            for d in g.digits:
                if all(cells[p] != d for p in range(i) if peers[i] >> p & 1):
                    cells[i] = d
                    fill(i + 1)
            cells[i] = 0

        fill(0)
        assert len(out) == 288 and n == 4
        g.every = out
    return g.every


def _full_grid(rng: random.Random, g: _Geometry) -> list[int] | tuple[int, ...]:
    n, br, bc = g.n, g.br, g.bc
    if n == 4:
        return rng.choice(_all_grids(g))
    seed = rng.choice(g.seeds)
    label = [0, *rng.sample(g.digits, n)]
    bands, stacks = rng.sample(range(n // br), n // br), rng.sample(range(n // bc), n // bc)
    rows = [b * br + i for b in bands for i in rng.sample(range(br), br)]
    cols = [s * bc + j for s in stacks for j in rng.sample(range(bc), bc)]
    if br == bc and rng.random() < 0.5:
        return [label[seed[c * n + r]] for r in rows for c in cols]
    return [label[seed[r * n + c]] for r in rows for c in cols]


def _permutation(rng: random.Random, g: _Geometry) -> list[int]:
    """A uniformly random order of the cells (Fisher-Yates driven by one big random integer)."""
    r = rng.getrandbits(g.perm_bits)
    order = list(range(g.cells))
    for i in range(g.cells - 1, 0, -1):
        r, j = divmod(r, i + 1)
        order[i], order[j] = order[j], order[i]
    return order


def _single(unit_masks, digits, cover: list[int], cell: int, value: int, free: int) -> int:
    """Why `value` is forced in `cell` (a HIDDEN_* or NAKED reason), or 0 when it is not a single.
    `free` holds the blank cells where `value` could still go; `cover[d]` the cells that see a d."""
    bit = 1 << cell
    row, col, box = unit_masks
    if box & free == bit:
        return HIDDEN_BOX
    if row & free == bit:
        return HIDDEN_ROW
    if col & free == bit:
        return HIDDEN_COL
    for d in digits:
        if d != value and not cover[d] >> cell & 1:
            return 0
    return NAKED


def _dig(rng: random.Random, g: _Geometry, grid, target: int) -> tuple[int, list[tuple[int, int]]]:
    """Blank up to `target` cells; returns the blank mask and a singles path (cell, reason) that refills them.

    Phase 1 removes a cell only if it is a single given the cells still filled, so
    the removals in reverse order are a solve. Phase 2 (deep levels) removes a
    cell if a singles solve of the whole puzzle still goes through."""
    peers, units, digits = g.peers, g.units, g.digits
    cells_of: list[list[int]] = [[] for _ in range(g.n + 1)]
    for i, v in enumerate(grid):
        cells_of[v].append(i)
    cover = [0] * (g.n + 1)  # cover[d]: cells that see a placed d
    for d in digits:
        m = 0
        for p in cells_of[d]:
            m |= peers[p]
        cover[d] = m
    order = _permutation(rng, g)
    empty, removed = 0, []
    for c in order:
        v, b = grid[c], 1 << c
        rest = [p for p in cells_of[v] if p != c]
        m = 0
        for p in rest:
            m |= peers[p]
        e = empty | b
        free = e & ~m  # blank cells where v could still go
        reason = _single(units[c], digits, cover, c, v, free)
        if not reason:
            continue
        empty, cells_of[v], cover[v] = e, rest, m
        removed.append((c, reason))
        if len(removed) == target:
            break
    path = removed[::-1]
    if len(removed) < target:
        empty, path = _dig_deeper(g, grid, order, empty, path, target, cells_of, cover)
    return empty, path


def _dig_deeper(g: _Geometry, grid, order: list[int], empty: int, path: list, target: int, cells_of, cover):
    """Blank more cells while a singles solve of the whole puzzle still goes through (cells_of and cover
    describe the givens and are updated in place)."""
    peers = g.peers
    hint = [c for c, _ in path]
    blanks = len(path)
    for c in order:
        if empty >> c & 1:
            continue
        v = grid[c]
        rest = [p for p in cells_of[v] if p != c]
        m = 0
        for p in rest:
            m |= peers[p]
        trial = cover.copy()
        trial[v] = m
        found = _singles_path(g, grid, empty | 1 << c, [*hint, c], trial)
        if found is not None:
            empty, path, blanks = empty | 1 << c, found, blanks + 1
            cells_of[v], cover[v] = rest, m
            hint = [x for x, _ in path]
            if blanks == target:
                break
    return empty, path


def _singles_path(g: _Geometry, grid, empty: int, hint: list[int], cover: list[int]) -> list[tuple[int, int]] | None:
    """Fill the blanks by singles, trying cells in `hint` order; None if it gets stuck. `cover[d]` starts as
    the cells seeing a given d and is updated in place."""
    peers, units, digits = g.peers, g.units, g.digits
    path, pending = [], hint
    while pending:
        stuck = []
        for x in pending:
            w, b = grid[x], 1 << x
            free = empty & ~cover[w]
            reason = _single(units[x], digits, cover, x, w, free)
            if not reason:
                stuck.append(x)
                continue
            empty &= ~b
            cover[w] |= peers[x]
            path.append((x, reason))
        if len(stuck) == len(pending):
            return None
        pending = stuck
    return path


def _step_lines(g: _Geometry) -> list[list[list[str]]]:
    """line[cell][reason][digit]: the worked-solution line that fills `cell` with `digit` (built once per size)."""
    if g.lines is None:
        n, lines = g.n, []
        for x in range(g.cells):
            name, r, c = g.names[x], x // n + 1, x % n + 1
            lines.append(
                [
                    [],
                    [f"{name} = {w}: its row, column and box already hold every other digit." for w in range(n + 1)],
                    [f"{name} = {w}: it is the only cell in row {r} where {w} can go." for w in range(n + 1)],
                    [f"{name} = {w}: it is the only cell in column {c} where {w} can go." for w in range(n + 1)],
                    [f"{name} = {w}: it is the only cell in its box where {w} can go." for w in range(n + 1)],
                ]
            )
        g.lines = lines
    return g.lines


def _rows(cells: list[str], n: int) -> list[str]:
    return ["".join(cells[r * n : (r + 1) * n]) for r in range(n)]


@family("sudoku", kind="grid", category="puzzles", levels=LEVELS)
def sudoku(rng: random.Random, k: Knobs) -> Draft:
    """Complete a Sudoku grid (4x4, 6x6 or 9x9) that has a unique solution."""
    g = _GEOMETRY[k.size]
    n, br, bc = g.n, g.br, g.bc
    grid = _full_grid(rng, g)
    empty, path = _dig(rng, g, grid, k.empties)
    full = [str(v) for v in grid]
    shown = ["." if empty >> i & 1 else ch for i, ch in enumerate(full)]
    solution, givens = _rows(full, n), _rows(shown, n)
    picture = "\n".join(" ".join(row) for row in givens)
    question = (
        f"Solve this {n}x{n} Sudoku. Fill every empty cell (shown as '.') with a digit from 1 to {n} so that each row, "
        f"each column and each {br}x{bc} box contains every digit from 1 to {n} exactly once. The puzzle has exactly "
        f"one solution.\n\n{picture}\n\nGive the completed grid: its {_WORDS[n]} rows from top to bottom, each written "
        f"as {n} digits with no spaces, the rows separated by spaces or line breaks."
    )
    line = _step_lines(g)
    steps = [
        f"Fill the {len(path)} empty cells one at a time; rRcC is the cell in row R, column C. Each cell below is "
        "forced by the digits already placed.",
        *[line[x][reason][grid[x]] for x, reason in path],
    ]
    steps.append("The completed grid is:")
    steps.extend(solution)
    answer = Answer(
        kind="grid",
        value="\n".join(solution),
        latex=" ".join(solution),
        spec={"size": n, "box": [br, bc], "givens": givens},
    )
    return Draft(question, answer, steps, data={"size": n, "box": [br, bc], "givens": givens, "blanks": len(path)})
