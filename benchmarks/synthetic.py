"""Synthetic plans of any size, in the ``cds-plan-draft/1`` shape, built from the
vocabulary of the real plans (units, deadlines, targets as officers write them).

    from benchmarks.synthetic import synthetic_draft
    draft = synthetic_draft(300, seed=1)       # 300 items
"""

from __future__ import annotations

import random

UNITS = [
    ("Văn phòng HĐND-UBND", "department", ["VP HĐND – UBND", "Văn phòng HĐND - UBND"]),
    ("Phòng Văn hóa - Xã hội", "department", ["Phòng VHXH", "Phòng VH-XH", "Phòng VHXXH"]),
    ("Phòng Kinh tế", "department", []),
    ("Công an xã", "police", []),
    ("Trạm Y tế xã", "health", []),
    ("Trung tâm Dịch vụ tổng hợp", "service_center", ["Trung tâm DVTH"]),
    ("Điểm hỗ trợ dịch vụ công", "service_center", ["Điểm hỗ trợ DVC"]),
    ("Các phòng, ban, đơn vị thuộc xã", "collective", []),
    ("Sở Khoa học và Công nghệ", "city_agency", ["Sở KH&CN"]),
] + [(f"Thôn {n}", "village", []) for n in ("Đông", "Đoài", "Nam", "Bắc", "Thượng", "Hạ", "Trung", "Ngoài")]

PILLARS = ["Chính quyền số", "Kinh tế số", "Xã hội số"]
THEMES = [
    "Đổi mới trong công tác chỉ đạo, điều hành", "Phát triển nhân lực số", "Đo lường, giám sát, đánh giá",
    "Hạ tầng số - nền tảng số - dữ liệu", "Cải cách thủ tục hành chính", "Bảo đảm an toàn thông tin",
    "Phát triển kinh tế số", "Phát triển xã hội số bền vững", "Truyền thông về chuyển đổi số",
]
INDICATOR_TEXTS = [
    "Tỷ lệ hồ sơ xử lý trước hạn, đúng hạn đạt ≥ 98%",
    "Phấn đấu tỷ lệ từ chối hoặc yêu cầu bổ sung < 5%",
    "100% các thôn hình thành cộng đồng số trên iHanoi",
    "Tối thiểu 50% thôn triển khai hoạt động hướng dẫn kỹ năng số cộng đồng",
    "Tỷ lệ người dân trưởng thành có chữ ký số cá nhân đạt 20-30%",
    "Tỷ lệ người dân có danh tính điện tử đạt trên 90%",
    "Chỉ số chỉ đạo, điều hành được cải thiện so với cùng kỳ",
    "Tỷ lệ tái sử dụng dữ liệu đạt tối thiểu 80%",
]
TASK_TEXTS = [
    "Rà soát, tái cấu trúc các quy trình nội bộ có tần suất xử lý cao",
    "Triển khai khung chương trình đào tạo về quản trị dữ liệu cho cán bộ",
    "Nâng cấp, bổ sung, duy trì các thiết bị bảo mật nhằm bảo đảm an toàn thông tin",
    "Tuyên truyền, phổ biến kỹ năng số cho người dân và doanh nghiệp",
    "Xây dựng kênh hỗ trợ chuyển đổi số cho người dân",
]
DEADLINES = [
    "Quý I/2026", "Quý II/2026", "Quý III/2026", "Quý IV/2026", "Tháng 6/2026", "Thường xuyên",
    "Duy trì hằng tháng", "Năm 2026", "Khi phát sinh", "Từ tháng 3/2026 và báo cáo vào tháng 12/2026",
]


def synthetic_draft(n_items: int, seed: int = 0, commune: str = "Minh Họa", year: int = 2026) -> dict:
    """A plan with *n_items* items (about 40% indicators) in 3 pillars and 9 themes."""
    rng = random.Random(seed)
    n_indicators = max(1, round(n_items * 0.4))
    n_tasks = max(1, n_items - n_indicators)
    groups = [
        {"key": f"ind-{i}", "section": "indicators", "label": ["I", "II", "III"][i],
         "title": title, "parent": None, "note": "", "declared_count": None}
        for i, title in enumerate(PILLARS)
    ]
    roman = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX"]
    groups += [
        {"key": f"task-{i}", "section": "tasks", "label": roman[i], "title": title, "parent": None,
         "note": "", "declared_count": None}
        for i, title in enumerate(THEMES)
    ]
    items = []
    departments = [u[0] for u in UNITS if u[1] != "village"]
    villages = [u[0] for u in UNITS if u[1] == "village"]
    for n in range(n_indicators):
        group = n * 3 // n_indicators
        lead = rng.choice(departments[:6])
        items.append({
            "kind": "indicator", "group": f"ind-{group}", "number": str(n + 1), "local_number": str(n + 1),
            "content": f"{rng.choice(INDICATOR_TEXTS)} (chỉ tiêu thử nghiệm số {n + 1})",
            "target_text": "", "guiding_agency": "Sở Khoa học và Công nghệ", "lead": [lead], "lead_text": lead,
            "coordinating": rng.sample(villages, 2), "coordinating_text": "Các thôn trên địa bàn",
            "leader": "", "deadline_text": "Năm 2026", "basis": "Thực tế triển khai tại xã", "note": "",
            "expected_result": "", "output_product": "", "extra": {},
        })
    for n in range(n_tasks):
        group = n * len(THEMES) // n_tasks
        lead = rng.choice(departments[:6])
        items.append({
            "kind": "task", "group": f"task-{group}", "number": str(n + 1), "local_number": str(n + 1),
            "content": f"{rng.choice(TASK_TEXTS)} (nhiệm vụ thử nghiệm số {n + 1})",
            "target_text": "", "guiding_agency": "", "lead": [lead], "lead_text": lead,
            "coordinating": ["Các phòng, ban, đơn vị thuộc xã"],
            "coordinating_text": "Các phòng, ban, đơn vị thuộc xã", "leader": "",
            "deadline_text": rng.choice(DEADLINES), "basis": "", "note": "",
            "expected_result": "Báo cáo kết quả thực hiện", "output_product": "Báo cáo", "extra": {},
        })
    return {
        "format": "cds-plan-draft/1",
        "commune": {"name": commune, "kind": "xã", "city": "Hà Nội"},
        "plan": {
            "year": year, "kind": "Kế hoạch chuyển đổi số", "number": f"{rng.randint(10, 300)}/KH-UBND",
            "issue_date": f"{year}-04-03", "place": commune, "title": f"Chuyển đổi số xã {commune} năm {year}",
            "authority": "TM. ỦY BAN NHÂN DÂN", "position": "CHỦ TỊCH", "signer": "Nguyễn Văn An",
            "recipients": ["UBND Thành phố;", "Sở Khoa học và Công nghệ;", "Lưu: VT, VHXH."],
            "status": "issued", "report_day": 15, "contacts": [], "appendices": {},
        },
        "units": [{"name": n, "short_name": "", "kind": k, "aliases": a} for n, k, a in UNITS],
        "people": [],
        "groups": groups,
        "items": items,
    }


# --------------------------------------------------------------------------
# Receiving mode (roll-up): many communes' plans with some city indicators in common

# City indicators written into many communes' plans: (pillar index, content with its target, target alone).
SHARED_INDICATORS = [
    (0, "Tỷ lệ hồ sơ xử lý trước hạn, đúng hạn đạt ≥ 98%", "≥ 98%"),
    (2, "Tỷ lệ người dân trưởng thành có danh tính điện tử mức 2 đạt trên 90%", "Trên 90%"),
    (1, "Tỷ lệ hộ kinh doanh sử dụng hóa đơn điện tử đạt 100%", "100%"),
]
TASK_PILLARS = ["Nhiệm vụ phát triển chính quyền số", "Nhiệm vụ phát triển kinh tế số",
                "Nhiệm vụ phát triển xã hội số"]


def rollup_draft(index: int, shared: list[int], *, locals_per_pillar: int = 2, tasks_per_pillar: int = 3,
                 year: int = 2026, seed: int | None = None) -> dict:
    """Commune number *index*'s plan: the shared indicators *shared* (indexes of
    :data:`SHARED_INDICATORS`; odd communes write the target in its own column, even ones
    inside the text), local indicators and tasks under the three pillars.

    Tasks per pillar, in order: due "Quý I/<year>", "Quý IV/<year>", "Tháng 6/<year>", then
    random deadlines."""
    rng = random.Random(index if seed is None else seed)
    commune = f"Thử Nghiệm {index + 1:03d}"
    groups = [{"key": f"ind-{i}", "section": "indicators", "label": ["I", "II", "III"][i], "title": title,
               "parent": None, "note": "", "declared_count": None} for i, title in enumerate(PILLARS)]
    groups += [{"key": f"task-{i}", "section": "tasks", "label": str(i + 1), "title": title, "parent": None,
                "note": "", "declared_count": None} for i, title in enumerate(TASK_PILLARS)]
    departments = [u[0] for u in UNITS if u[1] not in ("village", "city_agency", "collective")]
    items: list[dict] = []

    def indicator(pillar: int, content: str, target: str) -> None:
        number = str(sum(i["kind"] == "indicator" for i in items) + 1)
        lead = departments[pillar % len(departments)]
        items.append({
            "kind": "indicator", "group": f"ind-{pillar}", "number": number, "local_number": number,
            "content": content, "target_text": target, "guiding_agency": "Sở Khoa học và Công nghệ",
            "lead": [lead], "lead_text": lead, "coordinating": [], "coordinating_text": "", "leader": "",
            "deadline_text": f"Năm {year}", "basis": "", "note": "", "expected_result": "", "output_product": "",
            "extra": {},
        })

    for number in shared:
        pillar, content, target = SHARED_INDICATORS[number]
        if index % 2:
            indicator(pillar, content.rsplit(" đạt ", 1)[0], target)
        else:
            indicator(pillar, content, "")
    for pillar in range(3):
        for n in range(locals_per_pillar):
            indicator(pillar, f"{rng.choice(INDICATOR_TEXTS)} tại xã {commune} (nội dung riêng {n + 1})", "")
    fixed = [f"Quý I/{year}", f"Quý IV/{year}", f"Tháng 6/{year}"]
    for pillar in range(3):
        for n in range(tasks_per_pillar):
            number = str(sum(i["kind"] == "task" for i in items) + 1)
            lead = departments[(pillar + n) % len(departments)]
            items.append({
                "kind": "task", "group": f"task-{pillar}", "number": number, "local_number": str(n + 1),
                "content": f"{rng.choice(TASK_TEXTS)} ({TASK_PILLARS[pillar].lower()}, việc {n + 1})",
                "target_text": "", "guiding_agency": "", "lead": [lead], "lead_text": lead, "coordinating": [],
                "coordinating_text": "", "leader": "",
                "deadline_text": fixed[n] if n < len(fixed) else rng.choice(DEADLINES).replace("2026", str(year)),
                "basis": "", "note": "", "expected_result": "Báo cáo kết quả", "output_product": "Báo cáo",
                "extra": {},
            })
    return {
        "format": "cds-plan-draft/1",
        "commune": {"name": commune, "kind": "xã", "city": "Hà Nội"},
        "plan": {
            "year": year, "kind": "Kế hoạch chuyển đổi số", "number": f"{100 + index}/KH-UBND",
            "issue_date": f"{year}-03-02", "place": commune, "title": f"Chuyển đổi số xã {commune} năm {year}",
            "authority": "TM. ỦY BAN NHÂN DÂN", "position": "CHỦ TỊCH", "signer": "Nguyễn Văn An",
            "recipients": ["UBND Thành phố;", "Lưu: VT."], "status": "issued", "report_day": 15, "contacts": [],
            "appendices": {},
        },
        "units": [{"name": n, "short_name": "", "kind": k, "aliases": a} for n, k, a in UNITS],
        "people": [],
        "groups": groups,
        "items": items,
    }
