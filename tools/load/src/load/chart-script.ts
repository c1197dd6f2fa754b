// Runs in the browser next to chart.js: the chart code the report and the live page share.
export const chartScript = `
// Dashed vertical lines at moments of the run ('load stopped', 'drained'). Two moments a few
// seconds apart on a long chart share a pixel: a label that would cover another moves down a row.
function placeLabels(marks, right) {
  const placed = []
  return marks.map(({ x, width }) => {
    const left = x + 4 + width > right ? x - 4 - width : x + 4
    let row = 0
    while (placed.some((p) => p.row === row && left < p.right + 6 && left + width > p.left - 6)) row += 1
    placed.push({ left, right: left + width, row })
    return { left, row }
  })
}

function markersPlugin(markers) {
  return {
    id: 'markers',
    afterDatasetsDraw(chart) {
      const { ctx, chartArea: area, scales } = chart
      ctx.save()
      ctx.font = '11px sans-serif'
      const shown = markers()
        .filter((m) => m.t !== null)
        .sort((a, b) => a.t - b.t)
        .map((m) => ({ ...m, x: scales.x.getPixelForValue(m.t), width: ctx.measureText(m.label).width }))
        .filter((m) => m.x >= area.left - 1 && m.x <= area.right + 1)
      const labels = placeLabels(shown, area.right)
      shown.forEach(({ x, width, label, colour }, i) => {
        ctx.strokeStyle = colour
        ctx.setLineDash([5, 4])
        ctx.beginPath()
        ctx.moveTo(x, area.top)
        ctx.lineTo(x, area.bottom)
        ctx.stroke()
        const { left, row } = labels[i]
        const y = area.top + 12 + row * 15
        ctx.fillStyle = 'rgba(255, 255, 255, 0.85)'
        ctx.fillRect(left - 2, y - 10, width + 4, 14)
        ctx.fillStyle = colour
        ctx.fillText(label, left, y)
      })
      ctx.restore()
    },
  }
}

function line(label, colour, data, extra) {
  return { label, data, borderColor: colour, backgroundColor: colour, pointRadius: 0, borderWidth: 2, spanGaps: false, ...extra }
}

function dashed(label, colour, data) {
  return line(label, colour, data, { borderDash: [6, 4], borderWidth: 1.5 })
}

function lineChart(canvas, { title, subtitle, yTitle, datasets, x, markers, y2Title, legendSize }) {
  const scales = {
    x: { type: 'linear', min: 0, title: { display: true, text: 'seconds since start' }, ...x },
    y: { beginAtZero: true, title: { display: true, text: yTitle } },
  }
  if (y2Title) scales.y2 = { position: 'right', beginAtZero: true, grid: { drawOnChartArea: false }, title: { display: true, text: y2Title } }
  return new Chart(canvas, {
    type: 'line',
    data: { datasets },
    options: {
      animation: false,
      maintainAspectRatio: false,
      interaction: { mode: 'nearest', axis: 'x', intersect: false },
      scales,
      plugins: {
        title: { display: true, text: title, font: { size: 14 }, padding: { top: 4, bottom: subtitle ? 0 : 6 } },
        subtitle: { display: Boolean(subtitle), text: subtitle || '', color: '#6b7280', padding: { bottom: 4 } },
        legend: { labels: { usePointStyle: true, pointStyle: 'line', boxWidth: 22, font: { size: legendSize || 12 } } },
      },
    },
    plugins: [markersPlugin(markers)],
  })
}
`
