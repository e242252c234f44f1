#!/usr/bin/env python3
"""Deterministic synthetic corpus of Chinese local-government progress reports.

Pages imitate the layout of the real seed in shared/seeds/ (title line, heading,
parts "一、…(共N项)", sections "(一)…", numbered items with 责任单位 and 完成情况),
but every sentence is composed here from our own word lists. The same arguments
always give byte-identical output.

Speed comes from composing numbered items once into a pool and assembling pages
from the pool; per-page variety (district, year, period, punctuation style, a
share of freshly composed items) is cheap string work on the finished page.

Usage: python3 bench/gencorpus.py --out DIR --size 1GB --seed 42
See bench/README.md.
"""

import argparse
import bisect
import os
import queue
import random
import re
import sys
import threading
import time

# --------------------------------------------------------------------------
# Placeholders. Pooled items are shared across pages, so anything that must
# agree with the page (district, year, reporting period) is a control
# character replaced once per page.
P_DISTRICT = "\x01"   # 清河区
P_YEAR = "\x02"       # 2021
P_PERIOD = "\x03"     # 上半年
P_MONTHS = "\x04"     # 1-6月
P_MONTH_END = "\x05"  # 6月底
P_CITY = "\x06"       # 江州市
PLACEHOLDERS = P_DISTRICT + P_YEAR + P_PERIOD + P_MONTHS + P_MONTH_END + P_CITY

CN_DIGITS = "零一二三四五六七八九"


def cn_num(n):
    """1..99 as Chinese numerals (一, 十二, 二十三): part, section and rank labels."""
    if n < 10:
        return CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CN_DIGITS[tens]) + "十" + (CN_DIGITS[ones] if ones else "")


def w(s):
    """Word list from a whitespace-separated string (keeps the data below compact)."""
    return s.split()


# --------------------------------------------------------------------------
# Vocabulary. Written for this project: apart from standard terms (地区生产总值,
# 区市场监管局 …) no phrase is taken from the seed or any other real page.

DISTRICT_A = w("清 青 江 河 湖 山 平 安 新 长 宁 和 兴 康 永 福 东 西 南 北 金 银 云 松 桂 柳 滨 泽 白 丰 德 文 华 明 启 乐")
DISTRICT_B = w("河 江 湖 山 城 阳 州 源 桥 浦 峰 林 溪 湾 塘 川 丘 台 港 岭 原 口 坪 岸")
CITY_A = w("江 云 望 临 宁 安 瑞 锦 嘉 通 海 洪 青 昌 泰 远")
CITY_B = w("州 阳 城 陵 川 安 宁 海 南 原")

# (label used in headings, month range, month end)
PERIODS = [
    ("上半年", "1-6月", "6月底"),
    ("上半年", "1-6月", "6月底"),
    ("上半年", "1-6月", "6月底"),
    ("前三季度", "1-9月", "9月底"),
    ("前三季度", "1-9月", "9月底"),
    ("一季度", "1-3月", "3月底"),
    ("1-5月", "1-5月", "5月底"),
    ("1-10月", "1-10月", "10月底"),
    ("全年", "1-12月", "12月底"),
]

TITLE_TEMPLATES = [
    "{city}{district}{year}年政府工作报告目标任务{period}完成情况",
    "{district}人民政府 - 政务公开 - {year}年目标任务{period}进展",
    "【{district}】{year}年《政府工作报告》{period}完成情况一览",
    "{year}年{district}重点工作{period}推进情况_{city}政府网",
    "{district}{year}年{period}政府工作报告落实情况公示",
    "关于{district}{year}年重点目标任务{period}进展的公告",
]
HEADING_PREFIX = ["", "", "", "关于", "{district}"]
HEADING_WHO = ["区", "区", "{district}", "全区"]
HEADING_ABOUT_TAIL = ["的报告", "的通报", "的情况说明"]  # "关于…" needs one
HEADING_WHAT = ["确定的主要目标任务", "确定的目标任务", "重点工作", "主要目标和重点任务", "确定的重点任务"]
HEADING_HOW = ["完成情况", "完成情况", "落实情况", "进展情况", "推进情况"]

PART1_TITLES = ["经济社会发展主要指标", "主要经济指标", "经济社会发展主要目标", "年度主要预期目标"]
PART2_TITLES = ["{k}个方面重点工作", "重点工作任务", "{k}个方面重点任务", "重点目标任务"]
PART3_TITLES = ["为民办实事项目", "民生实事项目", "年度民生实事", "惠民实事"]

GENERAL_VERBS = w("""加快推进 深入实施 持续推进 全面落实 着力推动 统筹推进 扎实开展 大力实施
    积极推进 稳步推进 全力推进 有序推进 切实加强 不断完善 进一步深化 认真落实 大力推进
    高标准推进 系统推进 全面推进""")

# "{o}" is an object from the item's topic.
TARGET_FOCUS = ["着力破解{o}中的难点问题", "围绕{o}补齐短板", "建立健全{o}长效机制", "开展{o}专项行动",
                "以{o}为抓手", "完善{o}配套政策", "强化{o}考核督办", "探索{o}新模式"]

TARGET_TAILS = w("""确保按期完成 切实提升群众获得感 力争走在全市前列 确保完成年度目标任务
    不断提升服务水平 形成可复制可推广的经验 努力实现新突破 持续巩固提升成效
    确保取得实效 推动工作提质增效 着力补齐短板弱项 打造示范样板""")

STATUS_LEADS = [P_PERIOD + "，", "截至" + P_MONTH_END + "，", P_MONTHS + "，", "", "", "今年以来，", P_PERIOD]

STATUS_PLAIN = w("""各项工作按计划有序推进 工作取得阶段性成效 正在加快推进前期工作 已纳入年度重点督办事项
    建立工作台账并实行清单化管理 定期开展督查调度 相关工作正在有序推进中 已完成方案编制并报区政府审定
    群众满意度持续提升 形成了一批可推广的工作经验 配套政策已经出台 专班每周调度推进情况
    已完成招标并进场施工 正在开展方案比选 项目前期手续基本办结 已建立部门联动机制""")

NEXT_STEPS = ["下一步，", "下步工作中，", "下半年，", "下一阶段，"]
NEXT_WILL = ["将继续", "将进一步", "将加大力度", "将围绕年度目标", "将坚持问题导向"]

RANK_SCOPES = ["中心城区", "全市", "全市各区", "全市各城区", "全省同类城区", "全市城区"]
PP_PHRASES = ["超序时进度{x}个百分点", "较上年同期提高{x}个百分点", "高于全市平均水平{x}个百分点",
              "增幅高于全市{x}个百分点", "比一季度提高{x}个百分点"]

PLACES = w("""滨江 东湖 金桥 花园 青山 望江 南湖 北城 云谷 长乐 翠屏 紫阳 白沙 铁桥 杨柳 青石 龙泉 凤凰
    梅岭 桃源 新港 沙湖 芳草 晴川 月湖 西岸 古城 锦绣 明珠 书院 石门 黄鹤 双塔 太平 丰收 红旗""")

# A quantity goal: (target phrase, result phrase, low, high, decimals, thousands commas).
# "{n}" is where the number goes; the unit word sits in the phrase so that a
# target and its result always share one unit and the stated rate is checkable.
TOPICS = {
    "econ": dict(
        title_a=w("增强发展动能 聚焦产业升级 坚持项目为王 壮大实体经济 激发市场活力 做强现代服务业"),
        title_b=w("推动质量效益稳步提升 推动经济总量稳步攀升 推动产业结构持续优化 推动发展动能加快转换 推动经济运行稳中向好"),
        objects=w("""重大项目建设 招商引资工作 楼宇经济发展 总部经济集聚 现代服务业发展 数字经济发展
            金融业集聚发展 文化旅游产业发展 商贸流通体系建设 夜间经济发展 新零售场景打造 企业上市培育
            中小企业服务 科技型企业培育 “专精特新”企业培育 产业园区提档升级 消费提质扩容 外贸稳增长工作
            工业技术改造 项目谋划储备"""),
        quantities=[
            ("新开工重大项目{n}个", "新开工重大项目{n}个", 8, 60, 0, False),
            ("招引亿元以上项目{n}个", "新签约亿元以上项目{n}个", 10, 80, 0, False),
            ("完成固定资产投资{n}亿元", "完成固定资产投资{n}亿元", 80, 900, 1, False),
            ("实际到位资金{n}亿元", "实际到位资金{n}亿元", 50, 600, 1, False),
            ("新增市场主体{n}户", "新增市场主体{n}户", 3000, 30000, 0, False),
            ("新增规模以上企业{n}家", "新增规模以上企业{n}家", 5, 60, 0, False),
            ("新认定高新技术企业{n}家", "新认定高新技术企业{n}家", 20, 300, 0, False),
            ("实现楼宇税收{n}亿元", "实现楼宇税收{n}亿元", 20, 200, 1, False),
            ("新增税收亿元楼宇{n}栋", "新增税收亿元楼宇{n}栋", 2, 12, 0, False),
            ("实现税收收入{n}万元", "实现税收收入{n}万元", 100000, 990000, 0, True),
            ("接待游客{n}万人次", "接待游客{n}万人次", 200, 3000, 1, False),
            ("举办招商活动{n}场", "开展招商活动{n}场", 10, 60, 0, False),
        ],
        fillers=[("召开项目调度会{n}次", 3, 40, 0), ("走访企业{n}家", 20, 400, 0),
                 ("协调解决企业诉求{n}个", 10, 200, 0), ("兑现扶持资金{n}万元", 50, 5000, 0),
                 ("举办银企对接活动{n}场", 2, 20, 0), ("新增入库项目{n}个", 5, 80, 0),
                 ("实现营业收入{n}亿元", 10, 400, 2), ("新增就业岗位{n}个", 200, 6000, 0)],
        depts=w("区发改局 区商务局 区财政局 区科技经信局 区招商局 区地方金融局 区文旅局 区统计局 区市场监管局 区国资局 区投促中心"),
        projects=w("金融中心 科创大厦 商务中心 产业园 总部基地 科技园 国际广场 创意园 数据中心"),
    ),
    "urban": dict(
        title_a=w("坚持规划引领 推进城市更新 聚焦精细管理 完善城市功能 强化基础设施"),
        title_b=w("推动城市品质提档升级 推动城市面貌焕然一新 推动城市功能日趋完善 推动城区颜值持续提升"),
        objects=w("""老旧小区改造 背街小巷整治 城市更新 房屋征收 土地储备供应 微循环道路建设 智慧停车建设
            地下管网改造 棚户区改造 城中村改造 市政道路建设 公共停车场建设 架空线入地 海绵城市建设
            还建房建设 城市路网优化 公厕改造提升 建筑立面整治"""),
        quantities=[
            ("新建微循环道路{n}条", "建成微循环道路{n}条", 4, 40, 0, False),
            ("改造老旧小区{n}个", "完成老旧小区改造{n}个", 10, 120, 0, False),
            ("完成房屋征收{n}万平方米", "完成房屋征收{n}万平方米", 5, 90, 2, False),
            ("新增停车泊位{n}个", "新增停车泊位{n}个", 1000, 20000, 0, False),
            ("供应土地{n}亩", "出让土地{n}亩", 50, 900, 0, False),
            ("整治背街小巷{n}条", "完成背街小巷整治{n}条", 20, 150, 0, False),
            ("改造地下管网{n}公里", "完成管网改造{n}公里", 5, 80, 1, False),
            ("建设还建房{n}套", "建成还建房{n}套", 500, 6000, 0, False),
            ("完成棚户区改造{n}户", "完成棚户区改造{n}户", 300, 5000, 0, False),
            ("新建充电桩{n}个", "建成充电桩{n}个", 200, 9000, 0, False),
            ("实施立面整治{n}万平方米", "完成立面整治{n}万平方米", 2, 40, 2, False),
            ("新建公共停车场{n}处", "建成公共停车场{n}处", 3, 30, 0, False),
        ],
        fillers=[("拆除违法建设{n}平方米", 1000, 90000, 0), ("清理占道经营{n}处", 100, 3000, 0),
                 ("召开征收推进会{n}次", 3, 30, 0), ("完成签约{n}户", 50, 2000, 0),
                 ("维修破损路面{n}平方米", 500, 30000, 0), ("整治乱停乱放{n}起", 200, 8000, 0),
                 ("完成征收{n}㎡", 5000, 90000, 0)],
        depts=w("区建设局 区城管局 区房管局 区城市更新局 区自然资源和规划分局 区交通大队 区征收办 区城投公司 区住建局"),
        projects=w("片区 地块 安置房项目 道路工程 城市阳台 滨江大道 生态廊道 还建小区"),
    ),
    "green": dict(
        title_a=w("注重生态优先 坚持绿色发展 打好污染防治攻坚战 厚植生态底色"),
        title_b=w("推动生态品质稳步提高 推动生态环境持续改善 推动绿色低碳转型 推动人居环境不断优化"),
        objects=w("""大气污染防治 水环境治理 黑臭水体整治 园林绿化建设 垃圾分类工作 河湖长制落实
            扬尘污染管控 节能减排 湖泊保护 口袋公园建设 绿道建设 餐厨垃圾处置 噪声污染治理 生态修复"""),
        quantities=[
            ("新增绿地{n}万平方米", "新增绿地{n}万平方米", 5, 60, 2, False),
            ("建设口袋公园{n}个", "建成口袋公园{n}个", 3, 30, 0, False),
            ("新建绿道{n}公里", "建成绿道{n}公里", 3, 50, 1, False),
            ("栽植苗木{n}株", "栽植苗木{n}株", 2000, 60000, 0, False),
            ("整治黑臭水体{n}条", "完成黑臭水体整治{n}条", 3, 30, 0, False),
            ("垃圾分类覆盖小区{n}个", "垃圾分类覆盖小区{n}个", 50, 400, 0, False),
            ("整治排水口{n}个", "完成排水口整治{n}个", 20, 300, 0, False),
            ("清运渣土{n}万吨", "清运渣土{n}万吨", 5, 90, 1, False),
            ("完成绿化提升{n}亩", "完成绿化提升{n}亩", 30, 600, 0, False),
        ],
        fillers=[("出动执法人员{n}人次", 200, 9000, 0), ("开展巡河{n}次", 100, 3000, 0),
                 ("查处环境违法案件{n}起", 5, 120, 0), ("处罚金额{n}万元", 5, 500, 1),
                 ("清理垃圾{n}吨", 100, 9000, 0), ("PM2.5平均浓度为{n}微克/立方米", 25, 60, 0),
                 ("累计处理餐厨垃圾{n}吨", 500, 20000, 0)],
        depts=w("区生态环境分局 区园林局 区水务局 区城管局 区湖长办 区环卫中心 区发改局"),
        projects=w("公园 湖 绿道 港渠 湿地 河段 郊野公园"),
    ),
    "people": dict(
        title_a=w("坚持民生优先 坚持以人民为中心 增进民生福祉 补齐民生短板"),
        title_b=w("推动民生实事落地见效 推动公共服务均衡发展 推动群众生活品质持续提升 推动社会事业全面进步"),
        objects=w("""就业创业服务 学位供给扩容 基础教育质量提升 社区卫生服务 养老服务体系建设 社会救助
            退役军人服务 全民健身 公共文化服务 托育服务 医联体建设 居家养老服务 困难群众帮扶
            保障性住房建设 社区食堂建设"""),
        quantities=[
            ("城镇新增就业{n}人", "城镇新增就业{n}人", 8000, 40000, 0, True),
            ("新增学位{n}个", "新增学位{n}个", 500, 6000, 0, False),
            ("新建改扩建学校{n}所", "新建改扩建学校{n}所", 2, 12, 0, False),
            ("建设社区养老服务中心{n}个", "建成社区养老服务中心{n}个", 3, 30, 0, False),
            ("开展职业技能培训{n}万人次", "开展职业技能培训{n}万人次", 0.5, 5, 1, False),
            ("扶持创业{n}人", "扶持创业{n}人", 300, 3000, 0, False),
            ("新增养老床位{n}张", "新增养老床位{n}张", 100, 1500, 0, False),
            ("新建社区食堂{n}个", "建成社区食堂{n}个", 3, 25, 0, False),
            ("发放创业担保贷款{n}万元", "发放创业担保贷款{n}万元", 1000, 30000, 0, True),
            ("筹集保障性租赁住房{n}套", "筹集保障性租赁住房{n}套", 500, 8000, 0, False),
            ("完成家庭医生签约{n}万人", "完成家庭医生签约{n}万人", 5, 30, 1, False),
        ],
        fillers=[("举办招聘会{n}场", 5, 60, 0), ("提供就业岗位{n}个", 2000, 30000, 0),
                 ("发放救助资金{n}万元", 100, 5000, 0), ("服务老年人{n}万人次", 1, 30, 1),
                 ("开展义诊活动{n}场", 5, 80, 0), ("惠及群众{n}万人次", 1, 50, 1),
                 ("发放补贴{n}万元", 20, 3000, 0)],
        depts=w("区人社局 区教育局 区卫健委 区民政局 区退役军人事务局 区医保局 区文旅局 区体育局 区房管局 区残联"),
        projects=w("小学 中学 幼儿园 社区卫生服务中心 养老院 文化中心 体育公园 社区食堂"),
    ),
    "reform": dict(
        title_a=w("激活改革动力 深化改革创新 优化营商环境 强化创新驱动"),
        title_b=w("推动改革举措落地见效 推动政府效能持续提升 推动创新成果加快转化 推动发展环境不断优化"),
        objects=w("""“放管服”改革 营商环境优化 “一网通办”改革 人才引进培育 科技成果转化 国资国企改革
            法治政府建设 政务公开 预算绩效管理 社会信用体系建设 数字政府建设 审批服务下沉 投资项目审批提速"""),
        quantities=[
            ("引进高层次人才{n}名", "引进高层次人才{n}名", 10, 200, 0, False),
            ("吸纳高校毕业生在区就业创业{n}人", "吸纳高校毕业生在区就业创业{n}人", 3000, 20000, 0, False),
            ("新增科技型中小企业{n}家", "新增科技型中小企业{n}家", 50, 600, 0, False),
            ("技术合同成交额达到{n}亿元", "实现技术合同成交额{n}亿元", 20, 300, 1, False),
            ("建设政务服务自助点{n}个", "建成政务服务自助点{n}个", 20, 200, 0, False),
            ("新增孵化企业{n}家", "新增孵化企业{n}家", 30, 400, 0, False),
        ],
        fillers=[("办结政务服务事项{n}万件", 3, 40, 1), ("按期办结率{n}%", 95, 100, 1),
                 ("审查规范性文件{n}件", 5, 60, 0), ("提出修改意见{n}条", 20, 300, 0),
                 ("开展政策宣讲{n}场", 5, 60, 0), ("受理投诉建议{n}件", 100, 5000, 0),
                 ("压缩办理时限{n}%", 20, 70, 0)],
        depts=w("区行政审批局 区政务服务中心 区科技经信局 区人才办 区司法局 区财政局 区国资局 区数据局 区政府办"),
        projects=w("科技园 孵化器 创新中心 众创空间 人才公寓 政务服务中心"),
    ),
    "safety": dict(
        title_a=w("守牢安全底线 坚持系统治理 提升治理能力 统筹发展和安全"),
        title_b=w("推动社会大局和谐稳定 推动基层治理提质增效 推动安全生产形势持续向好"),
        objects=w("""安全生产专项整治 应急管理体系建设 基层社会治理 矛盾纠纷排查化解 食品药品安全监管
            消防安全治理 平安社区建设 网格化管理 防汛抗旱准备 信访积案化解 燃气安全排查"""),
        quantities=[
            ("排查整改隐患{n}处", "排查整改隐患{n}处", 500, 9000, 0, False),
            ("建设微型消防站{n}个", "建成微型消防站{n}个", 10, 120, 0, False),
            ("化解信访积案{n}件", "化解信访积案{n}件", 20, 300, 0, False),
            ("开展应急演练{n}场", "开展应急演练{n}场", 20, 200, 0, False),
            ("抽检食品{n}批次", "完成食品抽检{n}批次", 1000, 9000, 0, False),
        ],
        fillers=[("出动检查人员{n}人次", 300, 12000, 0), ("调解矛盾纠纷{n}起", 100, 3000, 0),
                 ("发放宣传资料{n}万份", 1, 20, 1), ("检查企业{n}家", 100, 4000, 0),
                 ("立案查处{n}起", 5, 200, 0)],
        depts=w("区应急管理局 区公安分局 区信访局 区市场监管局 区消防救援大队 区司法局 区委政法委"),
        projects=w("社区 街道 片区 市场 工业园"),
    ),
}
TOPIC_NAMES = sorted(TOPICS)
SHARED_DEPTS = ["各街道", "各街道", "区政府办", "区财政局"]

# Part-one indicators: (name, owner, typical growth low/high in %).
GROWTH_INDICATORS = [
    ("地区生产总值", "区发改局", 5, 9), ("规模以上工业增加值", "区科技经信局", 4, 10),
    ("服务业增加值", "区发改局", 6, 10), ("固定资产投资", "区发改局", 8, 16),
    ("社会消费品零售总额", "区商务局", 7, 12), ("进出口总额", "区商务局", 3, 10),
    ("限额以上批发零售业销售额", "区商务局", 6, 12), ("税收收入", "区财政局", 4, 9),
]
AMOUNT_INDICATORS = [
    # (name, owner, unit, low, high, decimals, commas)
    ("社会消费品零售总额", "区商务局", "亿元", 150, 900, 1, False),
    ("固定资产投资", "区发改局", "亿元", 200, 1200, 1, False),
    ("地方一般公共预算收入", "区财政局", "万元", 300000, 2500000, 0, True),
    ("实际利用外资", "区商务局", "亿美元", 2, 30, 2, False),
    ("招商引资到位资金", "区招商局", "亿元", 100, 900, 1, False),
    ("城镇新增就业", "区人社局", "人", 8000, 40000, 0, False),
]
RATE_CAPS = [
    ("城镇登记失业率控制在{x}%以内", "城镇登记失业率为{a}%", "区人社局", 3.0, 4.5, -1),
    ("空气质量优良率达到{x}%", "空气质量优良率为{a}%", "区生态环境分局", 70.0, 85.0, +1),
    ("单位地区生产总值能耗下降{x}%", "单位地区生产总值能耗同比下降{a}%", "区发改局", 2.0, 4.0, +1),
]

# Stated-progress phrasings; "{p}" is the percentage.
PCT_PHRASES = ["完成年度目标任务的{p}%", "完成年度目标的{p}%", "完成率为{p}%", "占年度任务的{p}%",
               "为年度计划的{p}%", "完成全年目标的{p}%"]


# --------------------------------------------------------------------------
# Numbers

def fmt_num(v, nd, commas=False):
    """A figure as the reports print it: fixed decimals, trailing zeros dropped."""
    if nd == 0:
        return f"{int(round(v)):,}" if commas else str(int(round(v)))
    s = "%.*f" % (nd, v)
    s = s.rstrip("0").rstrip(".")
    if commas:
        whole, _, frac = s.partition(".")
        s = f"{int(whole):,}" + ("." + frac if frac else "")
    return s


def draw(rng, lo, hi, nd):
    """A value in [lo, hi] rounded as it will be printed (so stated rates use printed values)."""
    v = rng.uniform(lo, hi)
    return round(v, nd) if nd else float(int(round(v)))


def stated_pct(rng, part, whole, stats, wrong_rate):
    """Format part/whole as a stated percentage; occasionally wrong on purpose.

    Computed from the printed figures, so a checker reading the page can
    reproduce it. A deliberate error differs by at least 2 points, so a
    tolerance for rounding never hides it.
    """
    true = part / whole * 100.0
    nd = rng.choice((1, 1, 1, 2, 0))
    if rng.random() < wrong_rate:
        mode = rng.randrange(3)
        if mode == 0:
            bad = true + rng.choice((-1, 1)) * rng.uniform(3, 25)
        elif mode == 1:
            bad = true * rng.uniform(0.75, 0.92)
        else:
            bad = true + rng.choice((-10, 10, -20, 20))
        if bad <= 0 or abs(bad - true) < 2:
            bad = true + 12.5
        stats[1] += 1
        return fmt_num(bad, nd)
    stats[0] += 1
    return fmt_num(true, nd)


# --------------------------------------------------------------------------
# Items. An item body is everything after "N." up to the blank line after
# its status paragraphs, in full-width punctuation; it comes with its stats
# [pct_ok, pct_wrong, pct_unverifiable] (see Page).

def join_clauses(rng, clauses):
    """Clauses into sentences; now and then a comma is lost, as on scraped pages."""
    out = []
    for i, c in enumerate(clauses):
        out.append(c)
        if i == len(clauses) - 1:
            out.append("。")
        else:
            r = rng.random()
            out.append("，" if r < 0.62 else "；" if r < 0.80 else "。" if r < 0.96 else "")
    return "".join(out)


def project_names(rng, topic, k):
    t = TOPICS[topic]
    # A list, not a set: set order follows PYTHONHASHSEED and would break determinism.
    names = []
    while len(names) < k:
        n = rng.choice(PLACES) + rng.choice(t["projects"])
        if n not in names:
            names.append(n)
    return names


def owners_text(rng, depts):
    k = rng.choice((1, 1, 1, 2, 2, 3))
    pool = depts + SHARED_DEPTS
    # The lead unit comes from the topic: "各街道" alone would be an odd owner.
    chosen = [rng.choice(depts)]
    while len(chosen) < k:
        d = rng.choice(pool)
        if d not in chosen:
            chosen.append(d)
    return "、".join(chosen)


def fillers(rng, t, k):
    """k status clauses of the topic's routine activity: figures, ranks, plain remarks."""
    out = []
    pool = rng.sample(t["fillers"], min(k, len(t["fillers"])))
    for i in range(k):
        r = rng.random()
        if r < 0.7 and i < len(pool):
            tpl, lo, hi, nd = pool[i]
            v = draw(rng, lo, hi, nd)
            # Approximate figures ("20余次", "近300家") are part of the real style;
            # they go with round numbers.
            q = rng.random()
            if q < 0.15 and v >= 20 and "为{n}" not in tpl and "{n}%" not in tpl:
                v = float(int(v) // 10 * 10)
                n = fmt_num(v, 0) + ("余" if q < 0.09 else "")
                if q >= 0.09:
                    n = "近" + n
            else:
                n = fmt_num(v, nd)
            out.append(tpl.replace("{n}", n))
        elif r < 0.85:
            out.append(rng.choice(STATUS_PLAIN))
        elif r < 0.93:
            out.append("排名%s第%s" % (rng.choice(RANK_SCOPES), cn_num(rng.randint(1, 7))))
        else:
            x = fmt_num(draw(rng, 0.3, 15, 1), 1)
            out.append(rng.choice(PP_PHRASES).replace("{x}", x))
    return out


def make_task_item(rng, topic, wrong_rate):
    """A key-task item: target clauses with 0-3 quantified goals, then the result of each."""
    t = TOPICS[topic]
    stats = [0, 0, 0]
    objs = rng.sample(t["objects"], 3)
    target = [rng.choice(GENERAL_VERBS) + objs[0]]
    if rng.random() < 0.6:
        target.append(rng.choice(GENERAL_VERBS) + objs[1])
    if rng.random() < 0.35:
        target.append(rng.choice(TARGET_FOCUS).replace("{o}", objs[2]))
    goals = []
    specs = list(t["quantities"])
    for _ in range(rng.choice((0, 1, 1, 1, 2, 2, 3))):
        spec = specs.pop(rng.randrange(len(specs)))
        ttpl, atpl, lo, hi, nd, commas = spec
        tv = draw(rng, lo, hi, nd)
        if tv <= 0:
            tv = float(hi)
        goals.append((spec, tv))
        target.append(ttpl.replace("{n}", fmt_num(tv, nd, commas)))
    projects = None
    if rng.random() < 0.3:
        k = rng.randint(2, 3)
        projects = project_names(rng, topic, k)
        total = k + rng.randint(0, 25)
        target.append("推动%s等%d个项目%s" % ("、".join(projects), total,
                                           rng.choice(("开工建设", "建成投用", "加快建设", "完工"))))
    if rng.random() < 0.6:
        target.append(rng.choice(TARGET_TAILS))
    target_text = join_clauses(rng, target)
    if rng.random() < 0.5:
        target_text = target_text[:-1]  # many items end without a full stop before the owners

    status = []
    for (ttpl, atpl, lo, hi, nd, commas), tv in goals:
        frac = rng.triangular(0.2, 1.35, 0.6)
        av = round(tv * frac, nd) if nd else float(int(round(tv * frac)))
        if av <= 0:
            av = tv
        a_txt = atpl.replace("{n}", fmt_num(av, nd, commas))
        form = rng.random()
        if form < 0.45:
            status.append(a_txt)
            status.append(rng.choice(PCT_PHRASES).replace("{p}", stated_pct(rng, av, tv, stats, wrong_rate)))
        elif form < 0.65:
            status.append("计划" + ttpl.replace("{n}", fmt_num(tv, nd, commas)))
            status.append("已" + a_txt)
            status.append("完成率为%s%%" % stated_pct(rng, av, tv, stats, wrong_rate))
        elif form < 0.75 and av >= tv:
            status.append(a_txt)
            status.append("超额完成年度目标任务")
        elif form < 0.85:
            # A rate against a base the page never gives: unverifiable by design.
            status.append(a_txt)
            status.append("占%s的%s%%" % (rng.choice(("全市", "全市总量", "全市同类指标")),
                                        fmt_num(rng.uniform(20, 95), 1)))
            stats[2] += 1
        else:
            status.append(a_txt)
    if projects and rng.random() < 0.7:
        done = projects[:rng.randint(1, len(projects))]
        status.append("%s等%d个项目%s" % ("、".join(done), len(done) + rng.randint(0, 10),
                                       rng.choice(("已开工建设", "有序施工", "进入收尾阶段", "完成主体施工"))))
    status.extend(fillers(rng, t, rng.randint(2, 5)))
    if not goals:
        # Only when no goal is present: a goal's result must stay next to its own rate.
        rng.shuffle(status)
    if not goals and len(status) >= 3 and rng.random() < 0.2:
        # "一是…；二是…" enumerations, common in these reports.
        status_text = "；".join("%s是%s" % (cn_num(i + 1), c) for i, c in enumerate(status)) + "。"
    else:
        status_text = rng.choice(STATUS_LEADS) + join_clauses(rng, status)

    para2 = ""
    if rng.random() < 0.25:
        if rng.random() < 0.5:
            para2 = (rng.choice(NEXT_STEPS) + rng.choice(NEXT_WILL) + rng.choice(GENERAL_VERBS) +
                     rng.choice(t["objects"]) + "，" + rng.choice(TARGET_TAILS) + "。")
        else:
            para2 = join_clauses(rng, fillers(rng, t, rng.randint(2, 4)))
    body = "%s（责任单位：%s）\n\n  完成情况：%s\n\n" % (target_text, owners_text(rng, t["depts"]), status_text)
    if para2:
        body += "  " + para2 + "\n\n"
    return body, stats


def make_indicator_item(rng, wrong_rate):
    """A part-one indicator item, with the indicator's name so a page lists each once."""
    stats = [0, 0, 0]
    kind = rng.random()
    rank = "排名%s第%s" % (rng.choice(RANK_SCOPES), cn_num(rng.randint(1, 7)))
    if kind < 0.40:
        name, owner, lo, hi = rng.choice(GROWTH_INDICATORS)
        x = draw(rng, lo, hi, 1)
        if rng.random() < 0.15:
            target = "%s增长%s%%—%s%%" % (name, fmt_num(x, 1), fmt_num(x + rng.choice((0.5, 1, 1.5)), 1))
        else:
            target = "%s增长%s%%%s" % (name, fmt_num(x, 1), rng.choice(("左右", "以上", "", "左右")))
        a = draw(rng, x - 3, x + 3, 1)
        verb = "同比增长" if a >= 0 else "同比下降"
        status = [P_PERIOD + name + verb + fmt_num(abs(a), 1) + "%"]
        if rng.random() < 0.5:
            status.append(rank)
        if rng.random() < 0.3:
            status.append(rng.choice(PP_PHRASES).replace("{x}", fmt_num(draw(rng, 0.2, 5, 1), 1)))
    elif kind < 0.70:
        name, owner, unit, lo, hi, nd, commas = rng.choice(AMOUNT_INDICATORS)
        tv = draw(rng, lo, hi, nd)
        av = round(tv * rng.triangular(0.25, 1.2, 0.55), nd)
        if nd == 0:
            av = float(int(av))
        target = "%s达到%s%s" % (name, fmt_num(tv, nd, commas), unit)
        status = ["%s完成%s%s%s" % (P_PERIOD, name, fmt_num(av, nd, commas), unit)]
        if rng.random() < 0.6:
            status.append("同比增长%s%%" % fmt_num(draw(rng, 1, 15, 1), 1))
        status.append(rng.choice(PCT_PHRASES).replace("{p}", stated_pct(rng, av, tv, stats, wrong_rate)))
        if rng.random() < 0.3:
            status.append(rank)
    elif kind < 0.85:
        # Budget-style rate against a base the page does not print.
        name, owner, unit, lo, hi, nd, commas = rng.choice(AMOUNT_INDICATORS[:3])
        target = "%s增长%s%%" % (name, fmt_num(draw(rng, 3, 9, 1), 1))
        p = draw(rng, 40, 75, 1)
        status = ["%s%s完成%s%s" % (P_PERIOD, name, fmt_num(draw(rng, lo * 0.4, hi * 0.6, nd), nd, commas), unit),
                  "占年初预算的%s%%" % fmt_num(p, 1)]
        stats[2] += 1
        if rng.random() < 0.6:
            status.append("超预算进度%s个百分点" % fmt_num(draw(rng, 0.5, 15, 1), 1))
        if rng.random() < 0.4:
            status.append("规模在%s排名第%s" % (rng.choice(RANK_SCOPES), cn_num(rng.randint(1, 7))))
    else:
        ttpl, atpl, owner, lo, hi, direction = rng.choice(RATE_CAPS)
        name = ttpl
        x = draw(rng, lo, hi, 1)
        a = draw(rng, x - 0.8, x + 0.8, 1) if direction > 0 else draw(rng, x - 1.0, x - 0.1, 1)
        target = ttpl.replace("{x}", fmt_num(x, 1))
        status = [P_MONTHS + atpl.replace("{a}", fmt_num(a, 1))]
        if rng.random() < 0.5:
            status.append(rng.choice(("控制在目标范围以内", "达到序时进度要求", "完成市下达的目标任务")))
    body = "%s（责任单位：%s）\n\n  完成情况：%s\n\n" % (target, owner, join_clauses(rng, status))
    return body, stats, name


# --------------------------------------------------------------------------
# Pages

class Page:
    """One output page. Transforms may change text, encoding and what is recorded.

    stats is [pct_ok, pct_wrong, pct_unverifiable]: stated progress rates that
    match the page's own figures, that were made wrong on purpose, and that
    cite a base the page never prints.
    """
    __slots__ = ("index", "report_id", "text", "encoding", "items", "stats", "transforms", "events",
                 "figures", "repeats")

    def __init__(self, index, report_id, text, items, stats):
        self.index = index
        self.report_id = report_id
        self.text = text
        self.encoding = "utf-8"
        self.items = items
        self.stats = stats
        self.transforms = []
        # What transforms changed, for --events: (kind, char offset in the final
        # text, text on the page, text it stands for). A transform that inserts
        # or removes text moves the offsets of earlier events (shift_events).
        self.events = []
        # Truth for dedup (the copies and repeats transforms): which set of
        # figures the page states, and how many extra pastes of the report it holds.
        self.figures = "v0"
        self.repeats = 0


class Transform:
    """A page transformation (look-alikes, stuffing, chrome, HTML, encodings, copies…).

    apply(page, rng) returns the list of pages to write in its place: usually
    [page] after changing it in place, or [page, copy, …] for duplicates (a copy
    keeps its report_id, so the truth file links it to its base). rng is private
    to (seed, page, transform), so adding a transform never changes the base text.
    """
    name = ""

    def apply(self, page, rng):
        raise NotImplementedError


# Registry by name, filled by later work; --transform NAME[=RATE] picks from it.
TRANSFORMS = {}


def shift_events(page, at, delta):
    """Moves recorded events at or after char offset `at` by `delta` characters."""
    page.events = [(k, o + delta if o >= at else o, f, t) for k, o, f, t in page.events]


# --------------------------------------------------------------------------
# stuff, chrome: keyword stuffing and page chrome, as scraped pages carry them
# (clean.spam's test data). Events: ("keyword", offset, phrase, word) for each
# place a phrase stands for a word (the title's echo included), ("chrome",
# offset, line, "") for each chrome line.

# Topic words a stuffer targets: words the items above use often.
STUFF_WORDS = w("""绿化 养老 就业 征收 停车 招商 投资 垃圾分类 消防 营商环境 老旧小区 黑臭水体
    口袋公园 充电桩 社区食堂 学位 人才 税收 楼宇 绿道 排水口 隐患 信访 科技""")
STUFF_JUNK = w("漂流攻略 自驾游 哪家强 排行榜 价格表 免费下载 官网入口 手机版 小区房价")
STUFF_TITLES = ["{y}年{m}月份{junk}{p}怎么样?", "{p}_最新消息", "{p}最新进展一览", "{title}_{p}",
                "{junk}{p}是真的吗"]


def _page_year(text):
    m = re.search(r"(20[12]\d)年", text)
    return m.group(1) if m else "2021"


class StuffTransform(Transform):
    """A query "place word year" stands in for a topic word in a share of its
    places, and the title is rewritten around the query, as SEO farms do.

    Before that, legitimate blanks are added that a cleaner must leave alone:
    after "完成情况：", between some numbers and their units, and (on some
    pages) in every "2021年" of the page, title included.
    """
    name = "stuff"

    def apply(self, page, rng):
        text = page.text
        cut = text.find("\n")
        title, body = (text[:cut], text[cut:]) if cut >= 0 else (text, "")
        year = _page_year(text)
        if rng.random() < 0.5:
            body = re.sub(r"(完成情况[：:])", lambda m: m.group(1) + (" " if rng.random() < 0.3 else ""), body)
        if rng.random() < 0.5:
            body = re.sub(r"(\d)(万平方米|亿元|万元|个|家|人次)",
                          lambda m: m.group(1) + (" " if rng.random() < 0.2 else "") + m.group(2), body)
        spaced_year = rng.random() < 0.3
        if spaced_year:
            body = re.sub(r"(20[12]\d)年", r"\1 年", body)
            title = re.sub(r"(20[12]\d)年", r"\1 年", title)

        words = [x for x in STUFF_WORDS if body.count(x) >= 3]
        if not words:
            page.text = title + body
            return [page]
        word = rng.choice(words)
        # The other word of the query is the page's own too: mostly a place
        # it names, sometimes another of its topic words.
        places = [x for x in PLACES if x in body and x not in word and word not in x]
        others = [x for x in words if x not in word and word not in x]
        if others and (not places or rng.random() < 0.2):
            places = others
        if not places:
            page.text = title + body
            return [page]
        place = rng.choice(places)
        y = str(rng.choice((int(year), int(year), int(year) - 1, int(year) + 1)))
        shape = rng.choices(("pwy", "pw", "wpy", "ypw"), weights=(5, 2, 2, 1))[0]
        tokens = [{"p": place, "w": word, "y": y}[c] for c in shape]
        r = rng.random()
        blank = "\u3000" if r < 0.05 else "\u00a0" if r < 0.1 else " "
        phrase = blank.join(tokens)

        at, spots = 0, []
        while True:
            at = body.find(word, at)
            if at < 0:
                break
            spots.append(at)
            at += len(word)
        k = min(len(spots), max(3, round(len(spots) * rng.uniform(0.5, 1.0))), 60)
        chosen = set(rng.sample(range(len(spots)), k))

        template = rng.choice(STUFF_TITLES)
        head, _, tail = template.partition("{p}")
        fill = dict(y=year, m=cn_num(rng.randint(1, 12)), junk=rng.choice(STUFF_JUNK), title=title)
        head, tail = head.format(**fill), tail.format(**fill)
        out = [head, phrase, tail]
        events = [("keyword", len(head), phrase, word)]
        pos = len(head) + len(phrase) + len(tail)
        last = 0
        for i, a in enumerate(spots):
            if i not in chosen:
                continue
            out.append(body[last:a])
            pos += a - last
            events.append(("keyword", pos, phrase, word))
            out.append(phrase)
            pos += len(phrase)
            last = a + len(word)
        out.append(body[last:])
        page.text = "".join(out)
        page.events.extend(events)
        return [page]


CHROME_NAMES = w("王小明 李华 张伟 刘洋 陈静 杨帆 赵磊 黄敏")
CHROME_SECTIONS = w("政务公开 规划计划 工作动态 通知公告 政府信息公开 重点工作")


class ChromeTransform(Transform):
    """Lines of the website around the report: a breadcrumb, tool bars and
    posting data under the title, comment prompts, "more about" links,
    previous/next links and credits at the end. A share of pages also gets a
    site-specific line no generic pattern knows (it counts as chrome in the
    events, so recall shows what line patterns miss).
    """
    name = "chrome"

    def apply(self, page, rng):
        text = page.text
        colon = "：" if rng.random() < 0.6 else ":"
        sp = "\u3000" if rng.random() < 0.1 else " "
        year = _page_year(text)
        date = "%s-%02d-%02d" % (year, rng.randint(1, 12), rng.randint(1, 28))
        stuffed = [f for k, _, f, _ in page.events if k == "keyword"]
        if stuffed:
            query = stuffed[0]
        else:
            # An echo with nothing stuffed: the query alone must not make a
            # cleaner collapse anything.
            query = sp.join(rng.sample(PLACES, 1) + rng.sample(STUFF_WORDS, 1) + [year])
        top_pool = [
            "当前位置%s首页 > %s > %s" % (colon, rng.choice(CHROME_SECTIONS), rng.choice(CHROME_SECTIONS)),
            sp.join(["下载", "打印", "全屏", "收藏", "【字号%s加大 还原 减小】" % colon]),
            "【字号%s大 中 小】%s打印%s关闭" % (colon, sp, sp),
            "发布时间%s%s%s来源%s区政府办" % (colon, date, sp * 2, colon),
            "浏览次数%s%d" % (colon, rng.randint(10, 99999)),
        ]
        bottom_pool = [
            "我要回帖",
            "更多关于%s%s%s的文章" % (sp, query, sp),
            "随机推荐",
            "上一篇%s关于做好%s年度重点工作的通知" % (colon, year),
            "下一篇%s没有了" % colon,
            "责任编辑%s%s" % (colon, rng.choice(CHROME_NAMES)),
            "分享到%s" % colon,
            "扫一扫在手机打开当前页",
            "打印本页%s关闭窗口" % sp,
            "关键词%s%s" % (colon, query),
            "版权所有 © %s 人民政府办公室" % year,
        ]
        top = rng.sample(top_pool, rng.randint(0, 3))
        bottom = sorted(rng.sample(range(len(bottom_pool)), rng.randint(2, 6)))
        bottom = [bottom_pool[i] for i in bottom]
        if rng.random() < 0.2:
            bottom.append(rng.choice(("欢迎访问本站，本站信息仅供参考", "网站地图 | 联系我们 | 网站声明",
                                      "政务服务热线12345 竭诚为您服务")))

        cut = text.find("\n")
        cut = len(text) if cut < 0 else cut + 1
        ins = "".join("\n" + line + "\n" for line in top)
        events = []
        pos = cut
        for line in top:
            events.append(("chrome", pos + 1, line, ""))
            pos += len(line) + 2
        shift_events(page, cut, len(ins))
        text = text[:cut] + ins + text[cut:]
        if not text.endswith("\n"):
            text += "\n"
        pos = len(text)
        tail = []
        for line in bottom:
            tail.append("\n" + line + "\n")
            events.append(("chrome", pos + 1, line, ""))
            pos += len(line) + 2
        page.text = text + "".join(tail)
        page.events.extend(events)
        return [page]


TRANSFORMS["stuff"] = StuffTransform()
TRANSFORMS["chrome"] = ChromeTransform()


# --------------------------------------------------------------------------
# spin: characters swapped for the look-alikes of configs/zh/lookalikes.yaml,
# as content spinners do (clean.lookalikes' test data). Events: ("lookalike",
# offset, look-alike, character it stands for) for each swap. A swap keeps the
# page's length, so it moves no other event; but put spin after any transform
# that inserts text without shifting the events recorded before it.

SPIN_TABLE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "configs", "zh", "lookalikes.yaml")
SPIN_SHARE = 0.03  # of the characters that some look-alike stands for; the seed page has ~3%


def _spin_table(path):
    """{character: [its look-alikes]} from the table's `- {from: X, to: Y, …}`
    lines (the flow style the shipped table uses; standard library only)."""
    table = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = re.match(r"\s*-\s*\{\s*from:\s*([^,\s]+)\s*,\s*to:\s*([^,}\s]+)", line)
            if m:
                table.setdefault(m.group(2), []).append(m.group(1))
    return table


class SpinTransform(Transform):
    """Swaps SPIN_SHARE of the characters that a look-alike stands for, anywhere
    on the page (完成 → 唍成, 中央 → Φ央), as a spinner does not care where."""
    name = "spin"

    def __init__(self, path=SPIN_TABLE):
        self.path = path
        self.table = None
        self.pattern = None

    def apply(self, page, rng):
        if self.table is None:
            self.table = _spin_table(self.path)
            self.pattern = re.compile("[%s]" % re.escape("".join(sorted(self.table))))
        text = page.text
        out, last = [], 0
        for m in self.pattern.finditer(text):
            if rng.random() >= SPIN_SHARE:
                continue
            at = m.start()
            fake = rng.choice(self.table[m.group()])
            out.append(text[last:at])
            out.append(fake)
            page.events.append(("lookalike", at, fake, m.group()))
            last = at + 1
        out.append(text[last:])
        page.text = "".join(out)
        return [page]


TRANSFORMS["spin"] = SpinTransform()


# --------------------------------------------------------------------------
# html, gb18030, big5: pages as sites serve them (read.files' test and benchmark
# data). html wraps the page in markup a reader never sees (head, style,
# script, navigation) with the title line in <title> and every other non-blank
# line in a paragraph; no visible text is added. gb18030 and big5 change the
# bytes only; Big5 has no simplified characters, so those become numeric
# character references on an HTML page and "?" in text, as converters write
# them. Events keep pointing at the same characters.

HTML_NAV = w("首页 政务公开 政策文件 工作动态 互动交流 办事服务 专题专栏")
HTML_CHARSET = {"utf-8": "utf-8", "gb18030": "gbk", "big5": "big5"}


def _html_escape(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class HtmlTransform(Transform):
    """The page as an HTML document, charset declared in a <meta>."""
    name = "html"

    def apply(self, page, rng):
        lines = page.text.split("\n")
        nav = "".join('<li><a href="/%d/">%s</a></li>' % (i, x) for i, x in enumerate(HTML_NAV))
        head = ('<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="%s">\n'
                '<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>'
                % HTML_CHARSET.get(page.encoding, page.encoding))
        out = [head]
        pos = len(head)
        starts = []  # (offset of a line in the old text, in the new text, the line)
        title = lines[0]
        starts.append((0, pos, title))
        out.append(_html_escape(title))
        pos += len(out[-1])
        mid = ('</title>\n<link rel="stylesheet" href="/css/main.css">\n'
               '<style>\n  body { margin: 0 auto; width: 1000px }\n  .article p { text-indent: 2em }\n</style>\n'
               '<script>var _hmt = _hmt || []; if (top.location != self.location) { top.location = self.location; }'
               '</script>\n</head>\n<body>\n<div class="header"><nav class="menu"><ul>%s</ul></nav></div>\n'
               '<div class="article" id="zoom">\n' % nav)
        out.append(mid)
        pos += len(mid)
        style = rng.random()
        old = len(title) + 1
        for line in lines[1:]:
            if line.strip():
                if style < 0.4:
                    open_tag, close_tag = "<p>", "</p>\n"
                elif style < 0.7:
                    open_tag, close_tag = '<p style="text-indent:2em;"><span>', "</span></p>\n"
                else:
                    open_tag, close_tag = "<div>", "</div>\n"
                body = _html_escape(line)
                starts.append((old, pos + len(open_tag), line))
                out.append(open_tag + body + close_tag)
                pos += len(open_tag) + len(body) + len(close_tag)
            old += len(line) + 1
        out.append('</div>\n<div class="pager" role="navigation"><a href="?p=1">上一页</a> <a href="?p=3">下一页</a>'
                   '</div>\n<script type="text/javascript">\n  document.getElementById("zoom").style.fontSize = "16px";\n'
                   '</script>\n</body>\n</html>\n')
        page.text = "".join(out)

        olds = [s[0] for s in starts]

        def moved(o):
            i = max(0, bisect.bisect_right(olds, o) - 1)
            old_start, new_start, line = starts[i]
            return new_start + len(_html_escape(line[:max(0, o - old_start)]))

        page.events = [(k, moved(o), f, t) for k, o, f, t in page.events]
        return [page]


def _set_meta_charset(page, charset):
    """Rewrites the <meta charset> the html transform wrote, if any."""
    m = re.search(r'<meta charset="([^"]*)">', page.text[:2000])
    if m:
        delta = len(charset) - len(m.group(1))
        page.text = page.text[:m.start(1)] + charset + page.text[m.end(1):]
        shift_events(page, m.end(1), delta)


class Gb18030Transform(Transform):
    name = "gb18030"

    def apply(self, page, rng):
        page.encoding = "gb18030"
        _set_meta_charset(page, "gbk")
        return [page]


class Big5Transform(Transform):
    name = "big5"

    def __init__(self):
        self.fits = {}

    def apply(self, page, rng):
        html = page.text.lstrip().lower().startswith("<!doctype html")
        out, shifts, delta = [], [], 0  # shifts: (old offset after which, total delta so far)
        for i, c in enumerate(page.text):
            ok = self.fits.get(c)
            if ok is None:
                try:
                    c.encode("big5")
                    ok = True
                except UnicodeEncodeError:
                    ok = False
                self.fits[c] = ok
            if ok:
                out.append(c)
                continue
            r = "&#%d;" % ord(c) if html else "?"
            out.append(r)
            delta += len(r) - 1
            shifts.append((i + 1, delta))
        page.text = "".join(out)
        page.encoding = "big5"
        if delta:
            keys = [s[0] for s in shifts]
            page.events = [(k, o + (shifts[bisect.bisect_right(keys, o) - 1][1] if bisect.bisect_right(keys, o) else 0),
                            f, t) for k, o, f, t in page.events]
        _set_meta_charset(page, "big5")
        return [page]


TRANSFORMS["html"] = HtmlTransform()
TRANSFORMS["gb18030"] = Gb18030Transform()
TRANSFORMS["big5"] = Big5Transform()


# --------------------------------------------------------------------------
# copies, repeats: the same report on several pages, and a report pasted more
# than once into one page (dedup's test data). Run them before the transforms
# that add text (chrome after repeats puts the chrome after the last paste, as
# on the seed page). Truth columns: `figures` names a page's set of figures
# (v0 the base's; v1, v2, … a revision each: pages with the same report_id and
# figures are near copies of each other, one with other figures is a
# revision), `repeats` counts the extra pastes of the report in the page.
# Events: ("revision", offset, new figure, the base's figure) for each revised
# figure, ("repeat", offset, "", "") where each extra paste starts.
#
# Edits leave alone what the truth file counts: numbered item lines and lines
# with a stated rate (%) are never deleted and their figures never revised,
# inserted lines carry no digits, rewording never touches a figure. So a
# copy's items and pct_* columns stay those of its base.

COPY_EDIT_SHARE = 0.10   # of a copy's lines with content, at most
REVISION_RATE = 0.3      # of copies of the base
REVISION_COPY_RATE = 0.3  # a later copy is a near copy of an earlier revision
REPEAT_EDIT_RATE = 0.3   # an extra paste with one to three lines reworded

FIGURE_RE = re.compile(r"\d+(?:[.,]\d+)*")
ITEM_LINE_RE = re.compile(r"^\s*\d+\.")
TAG_RE = re.compile(r"<[^>]*>")


def _text_of(line):
    """A line without its markup (the html transform may have run first): an
    item line is "<div>  20.…</div>" there, and "</style>" has no text to edit."""
    return TAG_RE.sub("", line) if "<" in line else line


REWORD_SWAPS = [("推进", "推动"), ("加快", "加速"), ("开展", "组织开展"), ("完善", "健全"), ("持续", "不断"),
                ("有序", "稳步"), ("提升", "提高"), ("积极", "主动"), ("全面", "全力"), ("进一步", "更加")]
COPY_OBJECTS = sorted({o for t in TOPIC_NAMES for o in TOPICS[t]["objects"]})


def _inserted_line(rng):
    """A new paragraph without digits, in the reports' own phrasing."""
    return "  %s%s%s%s，%s。" % (rng.choice(NEXT_STEPS), rng.choice(NEXT_WILL), rng.choice(GENERAL_VERBS),
                               rng.choice(COPY_OBJECTS), rng.choice(TARGET_TAILS))


def _reworded(line, rng):
    """The line in other words; its figures untouched, and never the same line."""
    options = []
    for a, b in REWORD_SWAPS:
        if a in line:
            options.append((a, b))
        if b in line:
            options.append((b, a))
    comma = "，" if "，" in line else ","
    clauses = line.split(comma)
    r = rng.random()
    if options and r < 0.5:
        a, b = rng.choice(options)
        i = line.find(a)
        new = line[:i] + b + line[i + len(a):]
    elif len(clauses) >= 3 and r < 0.8:
        plain = [i for i in range(1, len(clauses) - 1) if not FIGURE_RE.search(clauses[i])]
        if plain:
            del clauses[rng.choice(plain)]
        new = comma.join(clauses)
    else:
        tail = comma + rng.choice(TARGET_TAILS)
        new = line[:-1] + tail + "。" if line.endswith("。") else line + tail
    return new if new != line else line + comma + rng.choice(TARGET_TAILS)


def _line_starts(lines):
    starts, at = [], 0
    for line in lines:
        starts.append(at)
        at += len(line) + 1
    return starts


def _carry_events(events, old_lines, kept):
    """Events of old lines that survive unchanged, moved to where those lines
    are now: kept is [(old line index, new char offset of the line)]."""
    if not events:
        return []
    starts = _line_starts(old_lines)
    where = dict(kept)
    out = []
    for k, o, f, t in events:
        i = bisect.bisect_right(starts, o) - 1
        if i in where:
            out.append((k, where[i] + o - starts[i], f, t))
    return out


def _copy_page(src, text):
    q = Page(src.index, src.report_id, text, src.items, list(src.stats))
    q.encoding = src.encoding
    q.transforms = list(src.transforms)
    q.figures = src.figures
    q.repeats = src.repeats
    return q


def _edited_copy(src, rng, protect, revision=None):
    """A copy of src with up to COPY_EDIT_SHARE of its lines inserted, deleted or
    reworded, lines `protect` (indices) left alone; with `revision` (a figures
    name), 1-4 figures of protected lines revised."""
    lines = src.text.split("\n")
    content = [i for i, x in enumerate(lines) if _text_of(x).strip()]
    safe = [i for i in content if not ITEM_LINE_RE.match(_text_of(lines[i])) and "%" not in lines[i] and i > 0]
    editable = [i for i in safe if i not in protect]
    n = min(len(editable), round(len(content) * rng.uniform(0, COPY_EDIT_SHARE)))
    edits = dict((i, rng.choice(("insert", "delete", "reword"))) for i in rng.sample(editable, n))
    revise = []
    if revision is not None:
        chosen = sorted(protect)
        revise = rng.sample(chosen, min(len(chosen), rng.randint(1, 4)))
    new_lines, kept, revised = [], [], []
    at = 0
    skip_blank = False
    for i, line in enumerate(lines):
        if skip_blank and not line.strip():
            skip_blank = False
            continue
        skip_blank = False
        op = edits.get(i)
        if op == "delete":
            skip_blank = True
            continue
        if op == "reword":
            line = _reworded(line, rng)
        elif i in revise:
            line, changes = _revised(line, rng)
            revised.extend((at + o, new, old) for o, new, old in changes)
        else:
            kept.append((i, at))
        new_lines.append(line)
        at += len(line) + 1
        if op == "insert":
            for extra in ("", _inserted_line(rng)):
                new_lines.append(extra)
                at += len(extra) + 1
    q = _copy_page(src, "\n".join(new_lines))
    q.events = _carry_events(src.events, lines, kept)
    if revision is not None and revised:
        q.figures = revision
        q.events.extend(("revision", o, new, old) for o, new, old in revised)
    return q


def _revisable(line):
    """Figures a revision may change: not dates, ranges, counts of items or ordinals."""
    return [m for m in FIGURE_RE.finditer(line)
            if line[m.end():m.end() + 1] not in ("年", "月", "日", "项", "-", "—") and line[m.start() - 1:m.start()] != "第"]


def _revised(line, rng):
    """One figure of the line with a new value in the same format:
    (line, [(char offset in the line, new text, old text)])."""
    figs = _revisable(line)
    if not figs:
        return line, []
    m = rng.choice(figs)
    old = m.group()
    digits = old.replace(",", "")
    if "." in digits:
        nd = len(digits) - digits.index(".") - 1
        v = float(digits)
        new_v = v * rng.uniform(0.8, 1.25)
        new = "%.*f" % (nd, new_v)
        if new == "%.*f" % (nd, v):
            new = "%.*f" % (nd, v + 10 ** -nd)
    else:
        v = int(digits)
        delta = max(1, int(v * rng.uniform(0.05, 0.3)))
        new_v = v + delta if rng.random() < 0.5 or v - delta <= 0 else v - delta
        new = "{:,}".format(new_v) if "," in old else str(new_v)
    return line[:m.start()] + new + line[m.end():], [(m.start(), new, old)]


class CopiesTransform(Transform):
    """The page followed by 1-4 copies of it, as the same report reposted by
    other sites: each copy has up to COPY_EDIT_SHARE of its lines edited; a
    share of them are revisions (figures revised), and a share of later copies
    are near copies of a revision rather than of the base."""
    name = "copies"

    def apply(self, page, rng):
        # Lines whose figures revisions may change; no copy edits them, so that
        # every copy states them and its figure set is never ambiguous (a copy
        # without a revised line would agree with the base and the revision).
        lines = page.text.split("\n")
        revisable = [i for i, x in enumerate(lines) if i > 0 and _text_of(x).strip()
                     and not ITEM_LINE_RE.match(_text_of(x)) and "%" not in x and _revisable(x)]
        protect = set(rng.sample(revisable, min(len(revisable), 12)))
        out, revisions = [page], []
        for _ in range(rng.choice((1, 1, 2, 2, 3, 4))):
            if revisions and rng.random() < REVISION_COPY_RATE:
                src = rng.choice(revisions)
                src_lines = src.text.split("\n")
                starts = _line_starts(src_lines)
                revised_lines = {bisect.bisect_right(starts, o) - 1 for k, o, _, _ in src.events if k == "revision"}
                out.append(_edited_copy(src, rng, revised_lines))
            elif rng.random() < REVISION_RATE:
                q = _edited_copy(page, rng, protect, revision="v%d" % (len(revisions) + 1))
                if q.figures != page.figures:
                    revisions.append(q)
                out.append(q)
            else:
                out.append(_edited_copy(page, rng, protect))
        return out


class RepeatsTransform(Transform):
    """The report pasted again after itself, once (70%) or twice, below the
    title line as on the seed page. A share of the extra pastes has one to
    three lines reworded, far from each other and from the paste's ends."""
    name = "repeats"

    def apply(self, page, rng):
        text = page.text
        cut = text.find("\n") + 1
        body = text[cut:] if text.endswith("\n") else text[cut:] + "\n"
        if cut <= 0 or not body.strip():
            return [page]
        body_lines = body.split("\n")
        content = [i for i, x in enumerate(body_lines) if x.strip()]
        pastes, events = [], []
        at = len(text[:cut]) + len(body)
        for _ in range(1 if rng.random() < 0.7 else 2):
            lines = list(body_lines)
            if rng.random() < REPEAT_EDIT_RATE and len(content) >= 12:
                inner = content[2:-2]
                chosen, want = [], rng.randint(1, 3)
                rank = {i: r for r, i in enumerate(content)}
                for i in rng.sample(inner, len(inner)):
                    if all(abs(rank[i] - rank[j]) >= 4 for j in chosen):
                        chosen.append(i)
                    if len(chosen) == want:
                        break
                for i in chosen:
                    lines[i] = _reworded(lines[i], rng)
            else:
                chosen = []
            paste = "\n".join(lines)
            # The event marks the paste's first line with content (the blank
            # lines before it belong to the text it follows).
            events.append(("repeat", at + len(paste) - len(paste.lstrip("\n")), "", ""))
            starts = _line_starts(body_lines)
            for k, o, f, t in page.events:
                if o >= cut:
                    i = bisect.bisect_right(starts, o - cut) - 1
                    if i not in chosen:
                        events.append((k, o + (at - cut), f, t))
            pastes.append(paste)
            at += len(paste)
        page.text = text[:cut] + body + "".join(pastes)
        page.events.extend(events)
        page.repeats += len(pastes)
        return [page]


TRANSFORMS["copies"] = CopiesTransform()
TRANSFORMS["repeats"] = RepeatsTransform()


ITEM_PREFIX_BYTES = 6         # "  123."
PLACEHOLDER_BYTES = 7         # a placeholder (1 byte) becomes ~8 bytes of text
FULLWIDTH_PUNCT = "（）：，；"  # 3 bytes each in UTF-8, 1 byte once made ASCII


def sized(body, stats):
    """(body, UTF-8 bytes with full-width punctuation, bytes with ASCII punctuation, stats).

    Sizes are known up front so a page can be planned to its target size
    without encoding anything; placeholders count at their typical expanded size.
    """
    n = len(body.encode()) + PLACEHOLDER_BYTES * sum(body.count(c) for c in PLACEHOLDERS)
    punct = sum(body.count(c) for c in FULLWIDTH_PUNCT)
    return body, n, n - 2 * punct, stats


class Generator:
    def __init__(self, seed, pool_tasks=12000, pool_indicators=1500, fresh=0.08, wrong_rate=0.06):
        self.seed = seed
        self.fresh = fresh
        self.wrong_rate = wrong_rate
        rng = random.Random(seed)
        self.tasks = {topic: [sized(*make_task_item(rng, topic, wrong_rate))
                              for _ in range(pool_tasks // len(TOPIC_NAMES))]
                      for topic in TOPIC_NAMES}
        self.indicators = {}
        for _ in range(pool_indicators):
            body, stats, name = make_indicator_item(rng, wrong_rate)
            self.indicators.setdefault(name, []).append(sized(body, stats))
        self.indicator_names = sorted(self.indicators)
        all_tasks = [it for items in self.tasks.values() for it in items]
        # Per punctuation style (index 1 full width, 2 ASCII), plus the "N." prefix.
        self.avg_task = [0, sum(it[1] for it in all_tasks) / len(all_tasks) + ITEM_PREFIX_BYTES,
                         sum(it[2] for it in all_tasks) / len(all_tasks) + ITEM_PREFIX_BYTES]

    def _task(self, rng, topic):
        if rng.random() < self.fresh:
            return sized(*make_task_item(rng, topic, self.wrong_rate))
        return rng.choice(self.tasks[topic])

    def page(self, index, target_bytes):
        """Page `index` (0-based): at least about target_bytes of UTF-8, overshooting by about one item."""
        # Own stream per page: page i does not depend on the sizes of earlier
        # pages, and a string seed (hashed with SHA-512 by random) cannot
        # collide with another seed's pages the way seed * K + i could.
        rng = random.Random("page:%d:%d" % (self.seed, index))
        year = str(rng.randint(2016, 2024))
        district = rng.choice(DISTRICT_A) + rng.choice(DISTRICT_B) + "区"
        city = rng.choice(CITY_A) + rng.choice(CITY_B) + "市"
        period, months, month_end = rng.choice(PERIODS)
        fields = dict(year=year, district=district, city=city, period=period)

        title = rng.choice(TITLE_TEMPLATES).format(**fields)
        prefix = rng.choice(HEADING_PREFIX)
        who = rng.choice(HEADING_WHO) if prefix != "{district}" else ""  # no "X区2019年X区"
        tail = rng.choice(HEADING_ABOUT_TAIL) if prefix == "关于" else ""
        heading = (prefix + year + "年" + who + "《政府工作报告》" + rng.choice(HEADING_WHAT) + period +
                   rng.choice(HEADING_HOW) + tail).format(**fields)

        # About half the pages use ASCII brackets, colons and commas, as the
        # seed does (it went through a converter); the rest keep full width.
        style = 2 if rng.random() < 0.5 else 1

        # Plan the outline for ~90% of the expected item count, then top up the
        # last section until the page reaches its target size: items vary in
        # length, and planning for all of them would overshoot by several KB.
        est_items = max(4, int(0.9 * target_bytes / self.avg_task[style]))
        n1 = min(rng.randint(3, 7), max(2, est_items // 6))
        part3 = est_items >= 30 and rng.random() < 0.3
        n3 = rng.randint(5, 12) if part3 else 0
        n2 = max(2, est_items - n1 - n3)
        k = max(1, min(rng.randint(3, 7), n2 // 3))
        topics = rng.sample(TOPIC_NAMES, min(k, len(TOPIC_NAMES)))
        while len(topics) < k:
            topics.append(rng.choice(TOPIC_NAMES))
        # Split n2 into k non-empty sections of uneven size.
        cuts = sorted(rng.sample(range(1, n2), k - 1)) if k > 1 else []
        sizes = [b - a for a, b in zip([0] + cuts, cuts + [n2])]

        part1 = [rng.choice(self.indicators[name]) for name in rng.sample(self.indicator_names, n1)]
        sections = [[self._task(rng, topics[s]) for _ in range(sizes[s])] for s in range(k)]
        part3_items = [self._task(rng, "people") for _ in range(n3)]

        # Title and heading are exact; part and section lines are ~40-60 bytes.
        used = len(title.encode()) + len(heading.encode()) + 4 + 3 * 40 + k * 60
        used += sum(it[style] for it in part1) + sum(it[style] for sec in sections for it in sec)
        used += sum(it[style] for it in part3_items) + ITEM_PREFIX_BYTES * (n1 + n2 + n3)
        last = sections[-1]
        while used < target_bytes:
            it = self._task(rng, topics[-1])
            last.append(it)
            used += it[style] + ITEM_PREFIX_BYTES
        n2 = sum(len(sec) for sec in sections)

        out = [title, "\n\n", heading, "\n\n"]
        num = 1
        stats = [0, 0, 0]

        def emit(items):
            nonlocal num
            for body, _, _, st in items:
                out.append("  %d." % num)
                out.append(body)
                num += 1
                stats[0] += st[0]
                stats[1] += st[1]
                stats[2] += st[2]

        out.append("  一、%s（共%d项）\n\n" % (rng.choice(PART1_TITLES), n1))
        emit(part1)
        out.append("  二、%s（共%d项）\n\n" % (rng.choice(PART2_TITLES).replace("{k}", cn_num(k)), n2))
        for s, sec in enumerate(sections):
            t = TOPICS[topics[s]]
            sep = "，" if rng.random() < 0.7 else ""
            out.append("  （%s）%s%s%s\n\n" % (cn_num(s + 1), rng.choice(t["title_a"]), sep, rng.choice(t["title_b"])))
            emit(sec)
        if n3:
            out.append("  三、%s（共%d项）\n\n" % (rng.choice(PART3_TITLES), n3))
            emit(part3_items)

        text = "".join(out)
        text = (text.replace(P_DISTRICT, district).replace(P_YEAR, year).replace(P_PERIOD, period)
                .replace(P_MONTHS, months).replace(P_MONTH_END, month_end).replace(P_CITY, city))
        if style == 2:
            text = (text.replace("（", "(").replace("）", ")").replace("：", ":")
                    .replace("，", ",").replace("；", ";"))
        return Page(index, "r%07d" % (index + 1), text, num - 1, stats)


# --------------------------------------------------------------------------
# Output

class TxtWriter:
    """One file per page: DIR/000/p0000001.txt, files_per_dir pages per folder.

    Files are created and written on a background thread: creating a file is
    kernel time (up to ~0.6 ms per page on this VM's ext4 when it is busy) and
    overlaps with composing the next page when a second core is free. Order and content do not depend
    on the thread, so output stays deterministic.
    """

    def __init__(self, out_dir, files_per_dir):
        self.out_dir = out_dir
        self.per_dir = files_per_dir
        self.count = 0
        self._queue = queue.Queue(maxsize=64)  # bounds memory to ~64 pages in flight
        self._error = None
        self._thread = threading.Thread(target=self._run, name="writer", daemon=True)
        self._thread.start()

    def _run(self):
        while True:
            job = self._queue.get()
            if job is None:
                return
            if self._error is not None:
                continue  # keep draining so the producer never blocks forever
            path, data, new_dir = job
            try:
                if new_dir:
                    os.makedirs(os.path.dirname(path), exist_ok=True)
                with open(path, "wb", buffering=0) as f:
                    f.write(data)  # one write per page: pages are at most a few hundred KB
            except BaseException as e:  # reported on the main thread
                self._error = e

    def write(self, page):
        if self._error is not None:
            raise self._error
        i = self.count
        self.count += 1
        rel = "%03d/p%07d.txt" % (i // self.per_dir, i + 1)
        data = page.text.encode(page.encoding)
        self._queue.put((os.path.join(self.out_dir, rel), data, i % self.per_dir == 0))
        return rel, len(data)

    def close(self):
        self._queue.put(None)
        self._thread.join()
        if self._error is not None:
            raise self._error


WRITERS = {"txt": TxtWriter}

# --events: one row per event a transform recorded (Page.events); char_offset
# counts characters (code points) of the final page text.
EVENTS_HEADER = "path\treport_id\tkind\tchar_offset\tfrom_text\tto_text\n"
TRUTH_HEADER = ("path\treport_id\tencoding\tbytes\titems\tpct_ok\tpct_wrong\tpct_unverifiable\ttransforms"
                "\tfigures\trepeats\n")


# --------------------------------------------------------------------------
# Command line

SIZE_RE = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?)\s*([A-Za-z]*)\s*$")
SIZE_UNITS = {"": 1, "b": 1,
              "k": 1000, "kb": 1000, "kib": 1024,
              "m": 1000 ** 2, "mb": 1000 ** 2, "mib": 1024 ** 2,
              "g": 1000 ** 3, "gb": 1000 ** 3, "gib": 1024 ** 3}


def parse_size(s):
    """'1GB' -> 10**9, '1GiB' -> 2**30, '10k' -> 10000, '123' -> 123 bytes."""
    m = SIZE_RE.match(s)
    if not m or m.group(2).lower() not in SIZE_UNITS:
        raise argparse.ArgumentTypeError(
            "bad size %r: use a number with an optional suffix k/KB/KiB/M/MB/MiB/G/GB/GiB" % s)
    n = int(float(m.group(1)) * SIZE_UNITS[m.group(2).lower()])
    if n <= 0:
        raise argparse.ArgumentTypeError("size must be positive: %r" % s)
    return n


def parse_transform(s):
    name, _, rate = s.partition("=")
    if name not in TRANSFORMS:
        known = ", ".join(sorted(TRANSFORMS)) or "none implemented yet"
        raise argparse.ArgumentTypeError("unknown transform %r (available: %s)" % (name, known))
    try:
        r = float(rate) if rate else 1.0
    except ValueError:
        raise argparse.ArgumentTypeError("bad rate in %r: want NAME=0.3" % s)
    if not 0.0 <= r <= 1.0:
        raise argparse.ArgumentTypeError("rate must be in [0, 1]: %r" % s)
    return name, r


def positive_int(s):
    try:
        n = int(s)
    except ValueError:
        raise argparse.ArgumentTypeError("not an integer: %r" % s)
    if n <= 0:
        raise argparse.ArgumentTypeError("must be positive: %r" % s)
    return n


def main(argv=None):
    ap = argparse.ArgumentParser(
        description="Generate a deterministic synthetic corpus of Chinese progress-report pages.")
    ap.add_argument("--out", required=True, help="output folder (created; must be empty if it exists)")
    amount = ap.add_mutually_exclusive_group(required=True)
    amount.add_argument("--size", type=parse_size, help="total bytes to write, e.g. 200MB, 1GB, 1GiB")
    amount.add_argument("--pages", type=positive_int, help="number of base pages to write (copies made by transforms come on top)")
    ap.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    ap.add_argument("--min-page", type=parse_size, default=parse_size("10k"), help="smallest page target (default 10k)")
    ap.add_argument("--max-page", type=parse_size, default=parse_size("100k"), help="largest page target (default 100k)")
    ap.add_argument("--format", choices=sorted(WRITERS), default="txt", help="page file format (default txt)")
    ap.add_argument("--files-per-dir", type=positive_int, default=1000, help="pages per subfolder (default 1000)")
    ap.add_argument("--truth", help="write a TSV with one row per page (path, report id, counts, transforms)")
    ap.add_argument("--transform", type=parse_transform, action="append", default=[], metavar="NAME[=RATE]",
                    help="apply a page transform to a share of pages (repeatable)")
    ap.add_argument("--events", help="write a TSV with one row per thing a transform inserted or changed "
                                      "(path, report id, kind, char offset, text on the page, text it stands for)")
    ap.add_argument("--quiet", action="store_true", help="no summary on stderr")
    args = ap.parse_args(argv)

    if args.min_page > args.max_page:
        ap.error("--min-page is larger than --max-page")
    out = args.out
    if os.path.isdir(out) and os.listdir(out):
        # Stale pages from an earlier, larger run would silently join the corpus.
        ap.error("%s exists and is not empty; remove it or pick another folder" % out)
    for side in (args.truth, args.events):
        if side and os.path.abspath(side).startswith(os.path.abspath(out) + os.sep):
            ap.error("--truth and --events must be outside --out, or they would be read as part of the corpus")
    os.makedirs(out, exist_ok=True)

    t0 = time.perf_counter()
    gen = Generator(args.seed)
    writer = WRITERS[args.format](out, args.files_per_dir)
    truth = open(args.truth, "w", encoding="utf-8", buffering=1 << 20) if args.truth else None
    if truth:
        truth.write(TRUTH_HEADER)
    events = open(args.events, "w", encoding="utf-8", buffering=1 << 20) if args.events else None
    if events:
        events.write(EVENTS_HEADER)

    size_rng = random.Random("sizes:%d" % args.seed)
    total = 0
    index = 0
    while True:
        if args.pages is not None:
            if index >= args.pages:
                break
        elif total >= args.size:
            break
        target = size_rng.randint(args.min_page, args.max_page)
        if args.size is not None:
            target = min(target, args.size - total)
        page = gen.page(index, target)
        pages = [page]
        for name, rate in args.transform:
            trng = random.Random("%d:%d:%s" % (args.seed, index, name))
            if trng.random() < rate:
                nxt = []
                for p in pages:
                    for q in TRANSFORMS[name].apply(p, trng):
                        if name not in q.transforms:
                            q.transforms.append(name)
                        nxt.append(q)
                pages = nxt
        for p in pages:
            rel, n = writer.write(p)
            total += n
            if truth:
                truth.write("%s\t%s\t%s\t%d\t%d\t%d\t%d\t%d\t%s\t%s\t%d\n" % (
                    rel, p.report_id, p.encoding, n, p.items, p.stats[0], p.stats[1], p.stats[2],
                    ",".join(p.transforms) or "-", p.figures, p.repeats))
            if events:
                for kind, offset, before, after in sorted(p.events, key=lambda e: e[1]):
                    events.write("%s\t%s\t%s\t%d\t%s\t%s\n" % (rel, p.report_id, kind, offset, before, after))
        index += 1

    writer.close()
    if truth:
        truth.close()
    if events:
        events.close()
    secs = time.perf_counter() - t0
    if not args.quiet:
        print("gencorpus: %d pages, %d bytes in %.2f s (%.1f MB/s) -> %s" % (
            writer.count, total, secs, total / 1e6 / max(secs, 1e-9), out), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
